namespace Sparkify.Stream.Tests.Architecture.Sample.Staging;

/// <summary>Keeps the rule: a later layer (of the sample in Records.cs) using an earlier one.</summary>
internal sealed record PartFile(IReadOnlyList<Records.ParsedRow> Rows);
