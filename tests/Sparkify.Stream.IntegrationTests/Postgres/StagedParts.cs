using System.Runtime.CompilerServices;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>
/// Writes a run's staging the way the pipeline does — the real <see cref="ParquetPartWriter"/>, real manifests —
/// from records a test builds by hand, and gives the <see cref="LoadRequest"/> for it.
/// </summary>
internal static class StagedParts
{
    public static async Task<(LoadRequest Request, int EventParts)> StageAsync(
        IStagingStore store, string workDir, string runId, PartOptions parts,
        IReadOnlyList<LogEvent> events, IReadOnlyList<SongRecord> songs, IReadOnlyList<StagedFile> files)
    {
        var prefix = $"runs/{runId}";
        var ct = CancellationToken.None;
        await using var eventWriter = new ParquetPartWriter(EventColumns.Table, store, prefix, workDir, parts);
        await using var songWriter = new ParquetPartWriter(SongColumns.Table, store, prefix, workDir, parts);
        await using var fileWriter = new ParquetPartWriter(FileColumns.Table, store, prefix, workDir, parts);
        await eventWriter.AddAsync(Batch(EventColumns.Table, events), ct);
        await songWriter.AddAsync(Batch(SongColumns.Table, songs), ct);
        await fileWriter.AddAsync(Batch(FileColumns.Table, files), ct);
        var (eventsManifest, eventEntries) = await eventWriter.CompleteAsync(ct);
        var (songsManifest, _) = await songWriter.CompleteAsync(ct);
        var (filesManifest, _) = await fileWriter.CompleteAsync(ct);
        return (new LoadRequest(runId, store, eventsManifest, songsManifest, filesManifest), eventEntries.Count);
    }

    private static RecordBatch Batch<T>(StagingTable table, IReadOnlyList<T> records)
    {
        var batch = new RecordBatch(table, Math.Max(1, records.Count));
        foreach (var record in records) batch.Add(record);
        return batch;
    }

    /// <summary>A value as exact text: doubles by their bits, timestamps by their ticks, integers of any width alike.</summary>
    public static string Exact(object? value) => value switch
    {
        null => "NULL",
        double d => $"d:{BitConverter.DoubleToInt64Bits(d)}",
        DateTime t => $"t:{t.Ticks}",
        int or long => $"i:{value}",
        string s => "s:" + s,
        _ => throw new ArgumentException($"unexpected value type {value.GetType()}", nameof(value)),
    };

    public static string ExactRow(IEnumerable<object?> values) => string.Join("|", values.Select(Exact));

    /// <summary>A staging_events row as the pipeline means it: docs/semantics.md#staging_events column order, ts as epoch milliseconds.</summary>
    public static object?[] Row(LogEvent e) =>
    [
        e.EventId, e.Ts, e.UserId, e.FirstName, e.LastName, e.Gender, e.Level,
        e.Auth, e.Method, e.Page, e.Location, e.UserAgent, e.Artist, e.Song, e.Length, e.ItemInSession, e.SessionId,
        e.Status, e.Registration, e.SourceKey, e.SourceLine,
    ];

    public static object?[] Row(SongRecord s) =>
    [
        s.SongId, s.Title, s.ArtistId, s.ArtistName, s.ArtistLocation, s.ArtistLatitude, s.ArtistLongitude, s.Duration,
        s.Year, s.NumSongs, s.SourceKey,
    ];
}

/// <summary>A staging store whose objects can only be read forwards, like an S3 response body.</summary>
internal sealed class ForwardOnlyStagingStore(IStagingStore inner) : IStagingStore
{
    public int Opened { get; private set; }

    public string Description => inner.Description;

    public string UrlOf(string relativePath) => inner.UrlOf(relativePath);

    public Task<long> PutFileAsync(string relativePath, string localFile, CancellationToken ct) =>
        inner.PutFileAsync(relativePath, localFile, ct);

    public Task PutBytesAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken ct) =>
        inner.PutBytesAsync(relativePath, content, ct);

    public Task<byte[]?> ReadBytesAsync(string relativePath, CancellationToken ct) => inner.ReadBytesAsync(relativePath, ct);

    public async Task<System.IO.Stream> OpenReadAsync(string url, CancellationToken ct)
    {
        Opened++;
        return new ForwardOnlyStream(await inner.OpenReadAsync(url, ct));
    }

    public Task<long> SizeOfAsync(string url, CancellationToken ct) => inner.SizeOfAsync(url, ct);

    public async IAsyncEnumerable<string> ListRunsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var run in inner.ListRunsAsync(ct)) yield return run;
    }

    public Task DeleteRunAsync(string runId, CancellationToken ct) => inner.DeleteRunAsync(runId, ct);

    /// <summary>Never in place: the warehouse reads through <see cref="OpenReadAsync"/>, as from S3.</summary>
    public string? LocalPathOf(string url) => null;

    public S3Uri? S3Location => inner.S3Location;

    private sealed class ForwardOnlyStream(System.IO.Stream inner) : ForwardReadStream(inner)
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);
    }
}
