namespace Sparkify.Stream.Sources;

/// <summary>
/// The two kinds of input file a source lists: song metadata files and event log files (a log file's name carries its
/// date, which the listing filters on). Each kind is parsed into its own record (Records).
/// </summary>
internal enum RecordKind
{
    Song,
    Event,
}

internal static class RecordKindNames
{
    public static string Name(this RecordKind kind) => kind == RecordKind.Song ? "song" : "event";
}
