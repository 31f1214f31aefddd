using Sparkify.Stream.Records;

namespace Sparkify.Stream.Pipeline;

/// <summary>What one chunk became: typed records of one kind, and the rejects with their reasons.</summary>
internal sealed record ParsedChunk(
    RecordKind Kind, List<LogEvent> Events, List<SongRecord> Songs, List<Reject> Rejects);
