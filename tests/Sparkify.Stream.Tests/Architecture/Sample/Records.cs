// A two-layer sample (Records → Staging) with one backward dependency, for LayerTests to prove that the rule fails and
// names the offending types. Nothing else uses these types.
namespace Sparkify.Stream.Tests.Architecture.Sample.Records;

internal sealed record ParsedRow(string Key);

/// <summary>Breaks the rule on purpose: a Records type that writes a Staging type.</summary>
internal static class ParserThatWritesParts
{
    public static Staging.PartFile Parse(string key) => new([new ParsedRow(key)]);
}
