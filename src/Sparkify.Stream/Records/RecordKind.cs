namespace Sparkify.Stream.Records;

/// <summary>The two kinds of input: song metadata files and event log files.</summary>
internal enum RecordKind
{
    Song,
    Event,
}

internal static class RecordKindNames
{
    public static string Name(this RecordKind kind) => kind == RecordKind.Song ? "song" : "event";
}
