namespace Sparkify.Stream.Sources;

/// <summary>
/// Which files a source reads, by name: JSON (<c>.json</c>) and JSON Lines (<c>.jsonl</c>, <c>.ndjson</c>), each
/// also gzipped (<c>.gz</c>). Both parsers read one object or many, one after another, so the extension only says
/// "JSON"; a log file's date is still read from its name.
/// </summary>
internal static class InputFiles
{
    public static readonly string[] Extensions = [".json", ".jsonl", ".ndjson"];

    /// <summary>"<c>.json, .jsonl or .ndjson, each optionally .gz</c>", for messages.</summary>
    public static string Described => $"{string.Join(", ", Extensions[..^1])} or {Extensions[^1]}, each optionally gzipped (.gz)";

    public static bool IsInputFile(string name)
    {
        var plain = name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;
        return Extensions.Any(e => plain.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>What a source holds when none of it is an input file: how many files, and the first few names (by name).</summary>
internal sealed record OtherFiles(int Count, IReadOnlyList<string> Examples)
{
    public static readonly OtherFiles None = new(0, []);

    private const int MaxExamples = 5;

    /// <summary>
    /// The files among <paramref name="names"/> when none is an input file; <see cref="None"/> as soon as one is (or
    /// when there are none).
    /// </summary>
    public static async Task<OtherFiles> OfAsync(IAsyncEnumerable<string> names, CancellationToken ct)
    {
        var count = 0;
        var examples = new List<string>();
        await foreach (var name in names.WithCancellation(ct))
        {
            if (InputFiles.IsInputFile(name)) return None;
            count++;
            // The first few by name, whatever order the listing comes in: the same message every time.
            var at = examples.BinarySearch(name, StringComparer.Ordinal);
            if (at < 0 && ~at < MaxExamples) examples.Insert(~at, name);
            if (examples.Count > MaxExamples) examples.RemoveAt(MaxExamples);
        }
        return count == 0 ? None : new OtherFiles(count, examples);
    }

    public override string ToString() =>
        string.Join(", ", Examples) + (Count > Examples.Count ? $" and {Count - Examples.Count} more" : "");
}
