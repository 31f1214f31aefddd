using System.Globalization;
using Parquet.Schema;
using Sparkify.Stream.Records;
using Sparkify.Stream.Staging.ParquetFormat;

namespace Sparkify.Stream.Staging;

/// <summary>
/// Writes one staging table of a run as Parquet part files (row groups of <see cref="PartOptions.RowGroupRows"/>,
/// a new part every <see cref="PartOptions.PartRows"/> rows), hands each finished part to the staging store and
/// returns the COPY manifest entries. Not thread-safe: one writer per table, fed by one block.
/// </summary>
/// <remarks>
/// Rows are copied into a row-group buffer; a full buffer is encoded and written in the background by one of
/// <see cref="PartOptions.Writers"/> lanes, each with its own part file, while the next buffer fills. Encoding a
/// row group costs about as much as parsing it, so one lane would be the pipeline's bottleneck on two cores.
/// Memory stays at lanes + 1 row groups whatever the input size.
/// </remarks>
internal sealed class ParquetPartWriter : IAsyncDisposable
{
    private readonly StagingTable _table;
    private readonly ParquetSchema _schema;
    private readonly IStagingStore _store;
    private readonly string _runPrefix;
    private readonly string _workDir;
    private readonly PartOptions _options;
    private readonly List<ManifestEntry> _entries = [];
    private readonly Lane[] _lanes;
    private readonly Lock _gate = new();

    private RecordBatch _filling;
    private long _fillingBytes;
    private int _nextLane;
    private int _parts;

    public ParquetPartWriter(StagingTable table, IStagingStore store, string runPrefix, string workDir, PartOptions options)
    {
        options.Validate();
        (_table, _store, _runPrefix, _workDir, _options) = (table, store, runPrefix, workDir, options);
        _schema = StagingParquet.For(table);
        _filling = CreateBuffer();
        _lanes = [.. Enumerable.Range(0, options.Writers).Select(_ => new Lane())];
    }

    public long Rows { get; private set; }

    /// <summary>Adds rows the caller keeps (copied into the row-group buffer), counting no source bytes.</summary>
    public Task AddAsync(RecordBatch rows, CancellationToken ct) => AddAsync(rows, sourceBytes: 0, owned: false, ct);

    /// <param name="sourceBytes">The input bytes these rows came from: a row group is also cut once it holds
    /// <see cref="PartOptions.RowGroupBytes"/> of input, so lines of very long strings cannot make a row group (its
    /// memory, a page) grow without bound; ordinary lines reach the row count long before.</param>
    /// <param name="owned">The caller gives <paramref name="rows"/> away: when nothing is buffered and they fit one row
    /// group, they become the row-group buffer instead of being copied into it (a table written once, whole).</param>
    public async Task AddAsync(RecordBatch rows, long sourceBytes, bool owned, CancellationToken ct)
    {
        if (owned && _filling.Count == 0 && rows.Count <= _options.RowGroupRows && ReferenceEquals(rows.Table, _table))
        {
            _filling = rows;
            _fillingBytes += sourceBytes;   // as the copying path counts them
            Rows += rows.Count;
            if (RowGroupFull) await FlushRowGroupAsync(ct);
            return;
        }
        _fillingBytes += sourceBytes;
        for (var start = 0; start < rows.Count;)
        {
            var take = Math.Min(rows.Count - start, _options.RowGroupRows - _filling.Count);
            // A buffer that outgrows its first size goes to a whole row group at once: one copy, not a series of
            // doublings (4,096 -> 65,536 rows doubling allocated and copied every event buffer ~1.9 times over).
            if (_filling.Count + take > _filling.Capacity) _filling.EnsureCapacity(_options.RowGroupRows);
            _filling.Append(rows, start, take);
            start += take;
            Rows += take;
            if (RowGroupFull) await FlushRowGroupAsync(ct);
        }
    }

    /// <summary>The buffer holds a row group's rows, or its input bytes.</summary>
    private bool RowGroupFull => _filling.Count >= _options.RowGroupRows || _fillingBytes >= _options.RowGroupBytes;

    /// <summary>Writes what is buffered, closes the last parts and stores the manifest.</summary>
    /// <returns>The manifest's staging path and its entries, in part order.</returns>
    public async Task<(string ManifestPath, IReadOnlyList<ManifestEntry> Entries)> CompleteAsync(CancellationToken ct)
    {
        if (_filling.Count > 0) await FlushRowGroupAsync(ct);
        await Task.WhenAll(_lanes.Select(l => l.Writing));
        foreach (var lane in _lanes) await ClosePartAsync(lane, ct);
        _entries.Sort((a, b) => string.CompareOrdinal(a.Url, b.Url));
        var manifestPath = $"{_runPrefix}/{_table.Name}.manifest";
        await _store.PutBytesAsync(manifestPath, new CopyManifest(_entries).ToJson(), ct);
        return (manifestPath, _entries);
    }

    /// <summary>Hands the full buffer to the next lane once that lane's previous row group is written.</summary>
    private async Task FlushRowGroupAsync(CancellationToken ct)
    {
        var lane = _lanes[_nextLane];
        _nextLane = (_nextLane + 1) % _lanes.Length;
        await lane.Writing;
        var full = _filling;
        _fillingBytes = 0;
        _filling = lane.Buffer ?? CreateBuffer();   // the lane's previous buffer is free again
        lane.Buffer = full;
        lane.Writing = Task.Run(() => WriteRowGroupAsync(lane, full, ct), ct);
    }

    /// <summary>
    /// A row-group buffer that starts small and grows as rows come (to the row-group size at most): a run's four
    /// writers no longer allocate and zero four full 65,536-row buffers up front (~40 MB, most of it for the two small
    /// tables), which every run paid before it read a file.
    /// </summary>
    private RecordBatch CreateBuffer() => new(_table, Math.Min(_options.RowGroupRows, InitialBufferRows));

    private const int InitialBufferRows = 4096;

    private async Task WriteRowGroupAsync(Lane lane, RecordBatch rows, CancellationToken ct)
    {
        if (lane.Writer is null) OpenPart(lane);
        lane.Writer!.BeginRowGroup(rows.Count);
        StagingParquet.Write(lane.Writer, rows);
        lane.Writer.EndRowGroup();
        lane.PartRows += rows.Count;
        rows.Clear();
        if (lane.PartRows >= _options.PartRows) await ClosePartAsync(lane, ct);
    }

    private void OpenPart(Lane lane)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"part-{Interlocked.Increment(ref _parts) - 1:D5}.parquet");
        lane.PartPath = Path.Combine(_workDir, _table.Name, name);
        Directory.CreateDirectory(Path.GetDirectoryName(lane.PartPath)!);
        lane.File = new FileStream(lane.PartPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        lane.Writer = new PartFileWriter(lane.File, _schema);
        lane.PartRows = 0;
    }

    private async Task ClosePartAsync(Lane lane, CancellationToken ct)
    {
        if (lane.Writer is null) return;
        lane.Writer.Complete();
        await lane.File!.DisposeAsync();
        lane.Writer = null;
        lane.File = null;
        var relative = $"{_runPrefix}/{_table.Name}/{Path.GetFileName(lane.PartPath!)}";
        var size = await _store.PutFileAsync(relative, lane.PartPath!, ct);
        lock (_gate) _entries.Add(new ManifestEntry(_store.UrlOf(relative), true, new ManifestMeta(size)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _lanes)
        {
            try
            {
                await lane.Writing;
            }
            catch (Exception)
            {
                // A failed background write has already failed the run through FlushRowGroupAsync or CompleteAsync.
            }
            if (lane.File is not null) await lane.File.DisposeAsync();
        }
    }

    /// <summary>One background writer: its open part file and the row group it is writing.</summary>
    private sealed class Lane
    {
        public Task Writing = Task.CompletedTask;
        public RecordBatch? Buffer;
        public FileStream? File;
        public PartFileWriter? Writer;
        public string? PartPath;
        public long PartRows;
    }
}

/// <summary>Part file sizing. Redshift COPY wants parts of 1–125 MB, several per slice for parallel loading.</summary>
/// <param name="RowGroupRows">Rows per Parquet row group (default 65,536: half of 131,072 took ~95 MB off the peak RSS,
/// three row-group buffers being held at once, at no measurable cost in time).</param>
/// <param name="PartRows">Rows per part file before a new one starts (default 524,288: ~15–25 MB of events).</param>
/// <param name="Writers">Row groups encoded at once, each into its own part file (default 2: one per core here).</param>
/// <param name="RowGroupBytes">Input bytes after which a row group is cut whatever its row count (default 64 MiB:
/// 65,536 ordinary events are ~27 MB of JSON; 65,536 lines of 64 KB strings would be 4 GB, over a Parquet page's
/// 2 GB limit and a row-group buffer of 8 GB of .NET strings).</param>
internal sealed record PartOptions(int RowGroupRows = 65_536, long PartRows = 524_288, int Writers = 2,
    long RowGroupBytes = 64L << 20)
{
    public void Validate()
    {
        if (Writers is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(Writers), "must be between 1 and 64");
        if (RowGroupRows < 1) throw new ArgumentOutOfRangeException(nameof(RowGroupRows), "must be at least 1");
        if (RowGroupBytes < 1) throw new ArgumentOutOfRangeException(nameof(RowGroupBytes), "must be at least 1");
        if (PartRows < RowGroupRows)
            throw new ArgumentOutOfRangeException(nameof(PartRows), "must be at least one row group");
    }
}
