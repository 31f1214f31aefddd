using System.Collections.Concurrent;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Pipeline;

/// <summary>Per-file and per-reason counts of a run: every record read is either valid or rejected.</summary>
internal sealed class RunAccounting
{
    private readonly ConcurrentDictionary<string, FileCounts> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _byReason = new(StringComparer.Ordinal);
    private long _bytes;

    public void Listed(SourceObject file) => _files.TryAdd(file.Key, new FileCounts(file));

    /// <param name="fields">The chunk's field counts (schema drift), added to the file's; null for none.</param>
    public void Add(SourceObject file, int read, int valid, IReadOnlyList<Reject> rejects, FieldTally? fields = null)
    {
        var counts = _files.GetOrAdd(file.Key, _ => new FileCounts(file));
        Interlocked.Add(ref counts.Read, read);
        Interlocked.Add(ref counts.Valid, valid);
        Interlocked.Add(ref counts.Rejected, rejects.Count);
        foreach (var reject in rejects) _byReason.AddOrUpdate(reject.Reason, 1, (_, n) => n + 1);
        if (fields is { IsEmpty: false }) counts.AddFields(fields);
    }

    public void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public IReadOnlyList<FileCounts> Files => [.. _files.Values.OrderBy(f => f.File.Key, StringComparer.Ordinal)];

    public IReadOnlyDictionary<string, long> RejectedByReason =>
        _byReason.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);

    public long BytesRead => Interlocked.Read(ref _bytes);

    public long Read(RecordKind? kind = null) => Sum(kind, f => f.Read);

    public long Valid(RecordKind? kind = null) => Sum(kind, f => f.Valid);

    public long Rejected(RecordKind? kind = null) => Sum(kind, f => f.Rejected);

    private long Sum(RecordKind? kind, Func<FileCounts, long> get) =>
        _files.Values.Where(f => kind is null || f.File.Kind == kind).Sum(get);
}

/// <summary>Counts of one input file; <c>Read == Valid + Rejected</c> once the run has finished.</summary>
internal sealed class FileCounts(SourceObject file)
{
    private readonly Lock _gate = new();
    private FieldTally? _fields;

    public SourceObject File { get; } = file;
    public long Read;
    public long Valid;
    public long Rejected;

    /// <summary>The file's field counts (schema drift) once the run has finished; null when nothing was counted.</summary>
    public FieldTally? Fields
    {
        get
        {
            lock (_gate) return _fields;
        }
    }

    public void AddFields(FieldTally chunk)
    {
        lock (_gate)
        {
            _fields ??= new FieldTally(chunk.Table);
            _fields.Add(chunk);
        }
    }
}
