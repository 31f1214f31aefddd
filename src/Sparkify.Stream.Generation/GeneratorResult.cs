namespace Sparkify.Stream.Generation;

/// <summary>What a generation wrote: file counts, event lines (duplicates included) and bytes on disk.</summary>
/// <param name="BadRecords">With <c>--bad-lines</c>: the rejects a run over the data set gives, by reason.</param>
public sealed record GeneratorResult(int SongFiles, int LogFiles, long Events, long Bytes,
    IReadOnlyDictionary<string, long>? BadRecords = null);
