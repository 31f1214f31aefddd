using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Staging;

/// <summary>
/// One run's folder in the staging area, as the ingest pipeline writes it (<see cref="IStagingSink"/>): Parquet parts
/// and a COPY manifest per staging table, and the run's own files, below <c>runs/&lt;run_id&gt;/</c> of the store.
/// </summary>
/// <remarks>
/// When the store is a folder on this machine, parts are written in place. Otherwise (S3) they are written to a local
/// work folder and uploaded as each part closes, and the work folder is deleted when the sink is disposed.
/// </remarks>
internal sealed class StagingSink : IStagingSink
{
    private readonly IStagingStore _store;
    private readonly string _runPrefix;
    private readonly bool _ownsWorkFolder;
    private readonly ParquetPartWriter _events, _songs, _files, _fieldCounts;

    /// <param name="parts">Part file sizing; null for the defaults (tests cut smaller parts).</param>
    public StagingSink(IStagingStore store, string runId, PartOptions? parts = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        parts ??= new PartOptions();
        parts.Validate();
        (_store, RunId, _runPrefix) = (store, runId, RunPaths.Prefix(runId));
        var inPlace = store.LocalPathOf(store.UrlOf(_runPrefix));
        _ownsWorkFolder = inPlace is null;
        WorkFolder = inPlace ?? Path.Combine(Path.GetTempPath(), "sparkify-work", runId);
        Directory.CreateDirectory(WorkFolder);

        _events = new ParquetPartWriter(EventColumns.Table, store, _runPrefix, WorkFolder, parts);
        _songs = new ParquetPartWriter(SongColumns.Table, store, _runPrefix, WorkFolder, parts);
        _files = new ParquetPartWriter(FileColumns.Table, store, _runPrefix, WorkFolder, parts);
        _fieldCounts = new ParquetPartWriter(FieldCountColumns.Table, store, _runPrefix, WorkFolder, parts);
        Events = new Table<RecordBatch>(_events, batch => batch, owned: false);
        Songs = new Table<RecordBatch>(_songs, batch => batch, owned: false);
        // The two tables written once at the end of the run: their batch is made here and handed over whole.
        Files = new Table<IReadOnlyList<FileCounts>>(_files, rows =>
        {
            var batch = new RecordBatch(FileColumns.Table, Math.Max(1, rows.Count));
            foreach (var f in rows) batch.Add(StagedFileOf(f));
            return batch;
        }, owned: true);
        FieldCounts = new Table<IReadOnlyList<FileCounts>>(_fieldCounts, rows =>
        {
            var batch = new RecordBatch(FieldCountColumns.Table, Math.Max(1, rows.Count * 4));
            var scratch = new RecordValues(FieldCountColumns.Table);
            foreach (var f in rows)
            {
                if (f.Fields is { } fields) FieldCountColumns.AddRows(batch, scratch, f.File.Key, f.File.Kind.Name(), fields);
            }
            return batch;
        }, owned: true);
    }

    public string RunId { get; }

    public string WorkFolder { get; }

    public ITableSink<RecordBatch> Events { get; }

    public ITableSink<RecordBatch> Songs { get; }

    public ITableSink<IReadOnlyList<FileCounts>> Files { get; }

    public ITableSink<IReadOnlyList<FileCounts>> FieldCounts { get; }

    public async Task<string> PutFileAsync(string name, string localFile, CancellationToken ct)
    {
        var path = $"{_runPrefix}/{name}";
        await _store.PutFileAsync(path, localFile, ct);
        return _store.UrlOf(path);
    }

    public async ValueTask DisposeAsync()
    {
        await _songs.DisposeAsync();
        await _events.DisposeAsync();
        await _files.DisposeAsync();
        await _fieldCounts.DisposeAsync();
        if (_ownsWorkFolder && Directory.Exists(WorkFolder)) Directory.Delete(WorkFolder, recursive: true);
    }

    /// <summary>How an input file of the run is recorded in staging_files.</summary>
    private StagedFile StagedFileOf(FileCounts f) => new(
        f.File.Key, f.File.Kind.Name(), f.File.Version, f.File.Size, f.File.Date?.ToString("yyyy-MM-dd"),
        f.Read, f.Valid, f.Rejected, RunId);

    /// <summary>A table's part writer, fed what the pipeline hands over.</summary>
    /// <param name="owned">The batch is made for the writer and may become its row-group buffer (no copy).</param>
    private sealed class Table<TRows>(ParquetPartWriter writer, Func<TRows, RecordBatch> toBatch, bool owned) : ITableSink<TRows>
    {
        public long Rows => writer.Rows;

        public Task AddAsync(TRows rows, long sourceBytes, CancellationToken ct) =>
            writer.AddAsync(toBatch(rows), sourceBytes, owned, ct);

        public async Task<string> CompleteAsync(CancellationToken ct) => (await writer.CompleteAsync(ct)).ManifestPath;
    }
}
