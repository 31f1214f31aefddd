namespace Sparkify.Stream.Generation;

/// <summary>Generates a synthetic Sparkify data set in the input formats of docs/semantics.md#inputs (<c>sparkify generate</c>).</summary>
/// <remarks>
/// Deterministic: the same options give byte-identical files. Every random stream is derived from the seed
/// and a fixed index only (see <see cref="Seeds"/>); song files are written in parallel, the days of the log
/// in order on one other thread.
/// </remarks>
public static class DataGenerator
{
    public static GeneratorResult Generate(GeneratorOptions options, CancellationToken ct = default)
    {
        options.Validate();
        var catalogue = SongCatalogue.Build(options.Songs, options.Seed);
        var users = UserPool.Build(options);
        var songRoot = Path.Combine(options.OutDir, "song_data");
        var logRoot = Path.Combine(options.OutDir, "log_data");
        Directory.CreateDirectory(songRoot);
        Directory.CreateDirectory(logRoot);

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var logs = Task.Run(() => new LogFileWriter(options, catalogue, users).WriteAll(logRoot, failed.Token), failed.Token);
        long songBytes;
        try
        {
            songBytes = SongFileWriter.WriteAll(songRoot, catalogue, options.Gzip, options.Realism, failed.Token);
        }
        catch
        {
            failed.Cancel();
            try { logs.Wait(CancellationToken.None); } catch (AggregateException) { } // the song failure is the one to report
            throw;
        }
        var (lines, logBytes) = logs.GetAwaiter().GetResult();
        if (options.BadLines == 0) return new GeneratorResult(catalogue.Songs.Length, options.Days, lines, songBytes + logBytes);
        var bad = new BadLines(options);
        var badBytes = bad.WriteSongFiles(songRoot);
        return new GeneratorResult(catalogue.Songs.Length, options.Days, lines, songBytes + logBytes + badBytes, bad.Expected());
    }
}
