namespace Sparkify.Stream.Generation;

/// <summary>What a generation wrote: file counts, event lines (duplicates included) and bytes on disk.</summary>
internal sealed record GeneratorResult(int SongFiles, int LogFiles, long Events, long Bytes);
