using Sparkify.Stream.Records;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Pipeline;

/// <summary>What one chunk became: typed records of one kind (events column by column), and the rejects with their reasons.</summary>
internal sealed record ParsedChunk(RecordKind Kind, EventBatch Events, List<SongRecord> Songs, List<Reject> Rejects);
