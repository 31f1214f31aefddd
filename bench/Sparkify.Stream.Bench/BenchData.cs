using Sparkify.Stream.Generation;

namespace Sparkify.Stream.Bench;

/// <summary>Input for the micro-benchmarks: a small generated data set (the generator is deterministic).</summary>
public sealed class BenchData : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-bench-").FullName;

    public BenchData(int events = 20_000, int songs = 200)
    {
        DataGenerator.Generate(new GeneratorOptions(_dir) { Events = events, Songs = songs, Days = 1 });
        var log = Directory.EnumerateFiles(Path.Combine(_dir, "log_data"), "*.json", SearchOption.AllDirectories).First();
        LogFile = File.ReadAllBytes(log);
        var song = Directory.EnumerateFiles(Path.Combine(_dir, "song_data"), "*.json", SearchOption.AllDirectories).First();
        SongFile = File.ReadAllBytes(song);
    }

    /// <summary>A whole generated log file (newline-delimited events).</summary>
    public byte[] LogFile { get; }

    /// <summary>One generated song file.</summary>
    public byte[] SongFile { get; }

    /// <summary>The first line of the log file, without its newline.</summary>
    public byte[] FirstLine => LogFile.AsSpan(0, LogFile.AsSpan().IndexOf((byte)'\n')).ToArray();

    /// <summary>The first whole lines of the log file, up to <paramref name="bytes"/> bytes.</summary>
    public byte[] Chunk(int bytes)
    {
        var span = LogFile.AsSpan(0, Math.Min(bytes, LogFile.Length));
        return span[..(span.LastIndexOf((byte)'\n') + 1)].ToArray();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
