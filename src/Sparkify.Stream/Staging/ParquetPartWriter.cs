using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Sparkify.Stream.Staging;

/// <summary>
/// Writes one staging table of a run as Parquet part files (row groups of <see cref="PartOptions.RowGroupRows"/>,
/// a new part every <see cref="PartOptions.PartRows"/> rows), hands each finished part to the staging store and
/// returns the COPY manifest entries. Not thread-safe: one writer per table, fed by one block.
/// </summary>
internal sealed class ParquetPartWriter<T> : IAsyncDisposable
{
    private readonly string _table;
    private readonly ParquetSchema _schema;
    private readonly Func<ParquetRowGroupWriter, IReadOnlyList<T>, CancellationToken, Task> _writeColumns;
    private readonly IStagingStore _store;
    private readonly string _runPrefix;
    private readonly string _workDir;
    private readonly PartOptions _options;
    private readonly List<T> _buffer;
    private readonly List<ManifestEntry> _entries = [];

    private FileStream? _file;
    private ParquetWriter? _writer;
    private string? _partPath;
    private long _partRows;

    public ParquetPartWriter(
        string table, ParquetSchema schema,
        Func<ParquetRowGroupWriter, IReadOnlyList<T>, CancellationToken, Task> writeColumns,
        IStagingStore store, string runPrefix, string workDir, PartOptions options)
    {
        options.Validate();
        (_table, _schema, _writeColumns, _store, _runPrefix, _workDir, _options) =
            (table, schema, writeColumns, store, runPrefix, workDir, options);
        _buffer = new List<T>(options.RowGroupRows);
    }

    public long Rows { get; private set; }

    public async Task AddAsync(IReadOnlyList<T> rows, CancellationToken ct)
    {
        foreach (var row in rows)
        {
            _buffer.Add(row);
            Rows++;
            if (_buffer.Count >= _options.RowGroupRows) await FlushRowGroupAsync(ct);
        }
    }

    /// <summary>Writes what is buffered, closes the last part and stores the manifest.</summary>
    /// <returns>The manifest's staging path and its entries.</returns>
    public async Task<(string ManifestPath, IReadOnlyList<ManifestEntry> Entries)> CompleteAsync(CancellationToken ct)
    {
        if (_buffer.Count > 0) await FlushRowGroupAsync(ct);
        await ClosePartAsync(ct);
        var manifestPath = $"{_runPrefix}/{_table}.manifest";
        await _store.PutBytesAsync(manifestPath, new CopyManifest(_entries).ToJson(), ct);
        return (manifestPath, _entries);
    }

    private async Task FlushRowGroupAsync(CancellationToken ct)
    {
        if (_writer is null) await OpenPartAsync(ct);
        using (var rowGroup = _writer!.CreateRowGroup())
        {
            await _writeColumns(rowGroup, _buffer, ct);
        }
        _partRows += _buffer.Count;
        _buffer.Clear();
        if (_partRows >= _options.PartRows) await ClosePartAsync(ct);
    }

    private async Task OpenPartAsync(CancellationToken ct)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"part-{_entries.Count:D5}.parquet");
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
        if (_writer is not null) await _writer.DisposeAsync();
        if (_file is not null) await _file.DisposeAsync();
    }
}

/// <summary>Part file sizing. Redshift COPY wants parts of 1–125 MB, several per slice for parallel loading.</summary>
/// <param name="RowGroupRows">Rows per Parquet row group (default 131,072).</param>
/// <param name="PartRows">Rows per part file before a new one starts (default 1,000,000: ~25–40 MB of events).</param>
internal sealed record PartOptions(int RowGroupRows = 131_072, long PartRows = 1_000_000)
{
    public void Validate()
    {
        if (RowGroupRows < 1) throw new ArgumentOutOfRangeException(nameof(RowGroupRows), "must be at least 1");
        if (PartRows < RowGroupRows)
            throw new ArgumentOutOfRangeException(nameof(PartRows), "must be at least one row group");
    }
}
