using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Pipeline;

/// <summary>What one chunk became: typed records of one kind (column by column), and the rejects with their reasons.</summary>
/// <param name="SourceBytes">The input bytes the records came from (the writer cuts row groups by them too).</param>
internal sealed record ParsedChunk(RecordKind Kind, RecordBatch Events, RecordBatch Songs, List<Reject> Rejects, long SourceBytes);
