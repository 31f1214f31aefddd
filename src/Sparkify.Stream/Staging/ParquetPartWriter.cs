using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Sparkify.Stream.Staging;

/// <summary>
/// Writes one staging table of a run as Parquet part files (row groups of <see cref="PartOptions.RowGroupRows"/>,
/// a new part every <see cref="PartOptions.PartRows"/> rows), hands each finished part to the staging store and
/// returns the COPY manifest entries. Not thread-safe: one writer per table, fed by one block.
/// </summary>
/// <remarks>
/// Rows are copied into one of two row-group buffers; a full buffer is encoded and written in the background while
/// the other fills, so Parquet encoding is off the feeding block's path. At most one row group is being written at
/// a time, so memory stays at two row groups whatever the input size.
/// </remarks>
internal sealed class ParquetPartWriter<TBatch> : IAsyncDisposable where TBatch : class, IRowBatch<TBatch>
{
    private readonly string _table;
    private readonly ParquetSchema _schema;
    private readonly IStagingStore _store;
    private readonly string _runPrefix;
    private readonly string _workDir;
    private readonly PartOptions _options;
    private readonly List<ManifestEntry> _entries = [];

    private TBatch _filling, _spare;
    private Task _writing = Task.CompletedTask;
    private FileStream? _file;
    private ParquetWriter? _writer;
    private string? _partPath;
    private long _partRows;
    private int _parts;

    public ParquetPartWriter(
        string table, ParquetSchema schema, Func<TBatch> createBuffer,
        IStagingStore store, string runPrefix, string workDir, PartOptions options)
    {
        options.Validate();
        (_table, _schema, _store, _runPrefix, _workDir, _options) = (table, schema, store, runPrefix, workDir, options);
        (_filling, _spare) = (createBuffer(), createBuffer());
    }

    public long Rows { get; private set; }

    public async Task AddAsync(TBatch rows, CancellationToken ct)
    {
        for (var start = 0; start < rows.Count;)
        {
            var take = Math.Min(rows.Count - start, _options.RowGroupRows - _filling.Count);
            _filling.Append(rows, start, take);
            start += take;
            Rows += take;
            if (_filling.Count >= _options.RowGroupRows) await FlushRowGroupAsync(ct);
        }
    }

    /// <summary>Writes what is buffered, closes the last part and stores the manifest.</summary>
    /// <returns>The manifest's staging path and its entries.</returns>
    public async Task<(string ManifestPath, IReadOnlyList<ManifestEntry> Entries)> CompleteAsync(CancellationToken ct)
    {
        if (_filling.Count > 0) await FlushRowGroupAsync(ct);
        await _writing;
        await ClosePartAsync(ct);
        var manifestPath = $"{_runPrefix}/{_table}.manifest";
        await _store.PutBytesAsync(manifestPath, new CopyManifest(_entries).ToJson(), ct);
        return (manifestPath, _entries);
    }

    /// <summary>Waits for the previous row group, then starts writing the full buffer in the background.</summary>
    private async Task FlushRowGroupAsync(CancellationToken ct)
    {
        await _writing;
        (_filling, _spare) = (_spare, _filling);
        var full = _spare;
        _writing = Task.Run(() => WriteRowGroupAsync(full, ct), ct);
    }

    private async Task WriteRowGroupAsync(TBatch rows, CancellationToken ct)
    {
        if (_writer is null) await OpenPartAsync(ct);
        using (var rowGroup = _writer!.CreateRowGroup())
        {
            await rows.WriteAsync(rowGroup, ct);
        }
        _partRows += rows.Count;
        rows.Clear();
        if (_partRows >= _options.PartRows) await ClosePartAsync(ct);
    }

    private async Task OpenPartAsync(CancellationToken ct)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"part-{_parts++:D5}.parquet");
        _partPath = Path.Combine(_workDir, _table, name);
        Directory.CreateDirectory(Path.GetDirectoryName(_partPath)!);
        _file = new FileStream(_partPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _writer = await ParquetWriter.CreateAsync(_schema, _file, new ParquetOptions
        {
            CompressionMethod = CompressionMethod.Snappy,
        }, cancellationToken: ct);
        _partRows = 0;
    }

    private async Task ClosePartAsync(CancellationToken ct)
    {
        if (_writer is null) return;
        await _writer.DisposeAsync();
        await _file!.DisposeAsync();
        _writer = null;
        _file = null;
        var relative = $"{_runPrefix}/{_table}/{Path.GetFileName(_partPath!)}";
        var size = await _store.PutFileAsync(relative, _partPath!, ct);
        _entries.Add(new ManifestEntry(_store.UrlOf(relative), true, new ManifestMeta(size)));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _writing;
        }
        catch (Exception)
        {
            // A failed background write has already failed the run through FlushRowGroupAsync or CompleteAsync.
        }
        if (_writer is not null) await _writer.DisposeAsync();
        if (_file is not null) await _file.DisposeAsync();
    }
}

/// <summary>Part file sizing. Redshift COPY wants parts of 1–125 MB, several per slice for parallel loading.</summary>
/// <param name="RowGroupRows">Rows per Parquet row group (default 131,072).</param>
/// <param name="PartRows">Rows per part file before a new one starts (default 524,288: ~15–25 MB of events).</param>
internal sealed record PartOptions(int RowGroupRows = 131_072, long PartRows = 524_288)
{
    public void Validate()
    {
        if (RowGroupRows < 1) throw new ArgumentOutOfRangeException(nameof(RowGroupRows), "must be at least 1");
        if (PartRows < RowGroupRows)
            throw new ArgumentOutOfRangeException(nameof(PartRows), "must be at least one row group");
    }
}
