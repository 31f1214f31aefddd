using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Pipeline;

/// <summary>
/// The Dataflow graph: fetch (bounded parallel reads) → parse + validate (parallel) → the run's table sinks (one
/// writer block per table), rejects to rejects.csv. Every block is bounded and the head is fed with SendAsync, so a
/// slow writer slows the readers instead of filling memory.
/// </summary>
/// <param name="onPhase">Awaited once, with "ingest", after the first chunk of events is staged (progress logs and
/// the test-only pause hook); null for none.</param>
internal sealed class IngestPipeline(
    Func<SourceObject, IObjectSource> sourceOf, PipelineOptions options,
    Func<string, CancellationToken, Task>? onPhase = null)
{
    /// <summary>The pipeline over <paramref name="files"/> into <paramref name="sink"/>, counted in a new accounting.</summary>
    public Task<IngestResult> RunAsync(IReadOnlyList<SourceObject> files, IStagingSink sink, CancellationToken ct) =>
        RunAsync(files, sink, accounting: null, ct);

    /// <param name="sink">Where the run's tables and files go (the caller opens and disposes it).</param>
    /// <param name="accounting">Where the counts go (a progress display may watch it fill); null for a new one.</param>
    public async Task<IngestResult> RunAsync(IReadOnlyList<SourceObject> files, IStagingSink sink,
        RunAccounting? accounting, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sink);
        accounting ??= new RunAccounting();
        options.Validate();
        var clock = Stopwatch.StartNew();

        foreach (var file in files) accounting.Listed(file);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var token = failed.Token;

        await using var rejects = new RejectSink(Path.Combine(sink.WorkFolder, "rejects.csv"));
        var (events, songs) = (sink.Events, sink.Songs);

        var fetchStage = new FetchStage(sourceOf, options);
        var batches = new BatchPool(options.ChunkBytes / 256);
        var parseStage = new ParseStage(new LogEventParser(), new SongFileParser(), accounting, batches);
        var link = new DataflowLinkOptions { PropagateCompletion = true };

        var parse = new TransformBlock<FileChunk, ParsedChunk>(parseStage.Parse, Bounded(options.Parallelism, token));
        var fetch = new ActionBlock<IReadOnlyList<SourceObject>>(group => fetchStage.FetchAsync(group, parse, token),
            Bounded(options.FetchParallelism, token));
        var firstEvents = true;   // the writer runs one chunk at a time
        var writeEvents = new ActionBlock<ParsedChunk>(async chunk =>
        {
            rejects.Write(chunk.Rejects);
            await events.AddAsync(chunk.Events, chunk.SourceBytes, token);
            batches.Return(chunk.Events);
            if (firstEvents && onPhase is not null) await onPhase("ingest", token);
            firstEvents = false;
        }, Bounded(1, token));
        var writeSongs = new ActionBlock<ParsedChunk>(async chunk =>
        {
            rejects.Write(chunk.Rejects);
            await songs.AddAsync(chunk.Songs, chunk.SourceBytes, token);
        }, Bounded(1, token));
        // The two predicates cover every kind, so nothing can stall in parse's output. No catch-all on purpose:
        // while a bounded writer is full it postpones, and the source then offers the chunk to the next link —
        // a catch-all would take (and lose) a chunk meant for the busy writer.
        parse.LinkTo(writeEvents, link, chunk => chunk.Kind == RecordKind.Event);
        parse.LinkTo(writeSongs, link, chunk => chunk.Kind == RecordKind.Song);
        _ = fetch.Completion.ContinueWith(t =>
        {
            if (t.IsFaulted) ((IDataflowBlock)parse).Fault(t.Exception!);
            else parse.Complete();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var blocks = new IDataflowBlock[] { fetch, parse, writeEvents, writeSongs };
        foreach (var block in blocks)
            _ = block.Completion.ContinueWith(_ => failed.Cancel(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

        try
        {
            foreach (var group in Groups(files))
                if (!await fetch.SendAsync(group, token)) break;
            fetch.Complete();
            await Task.WhenAll(blocks.Select(b => b.Completion));
        }
        catch (Exception) when (FirstFault(blocks) is { } fault)
        {
            throw fault;   // the root cause, not the cancellation it caused elsewhere
        }
        var parsed = clock.Elapsed;
        // Every valid record must reach the Parquet: a mismatch is a bug, and loading would lose rows silently.
        if (events.Rows != accounting.Valid(RecordKind.Event) || songs.Rows != accounting.Valid(RecordKind.Song))
            throw new SparkifyException($"internal error: {accounting.Valid(RecordKind.Event)} valid events and " +
                $"{accounting.Valid(RecordKind.Song)} valid songs, but {events.Rows} and {songs.Rows} staged");

        var eventsManifest = await events.CompleteAsync(ct);
        var songsManifest = await songs.CompleteAsync(ct);
        await rejects.DisposeAsync();
        var rejectsUrl = await sink.PutFileAsync("rejects.csv", rejects.FilePath, ct);
        var fileCounts = accounting.Files;
        await sink.Files.AddAsync(fileCounts, 0, ct);
        var filesManifest = await sink.Files.CompleteAsync(ct);
        await sink.FieldCounts.AddAsync(fileCounts, 0, ct);
        var fieldCountsManifest = await sink.FieldCounts.CompleteAsync(ct);
        return new IngestResult(sink.RunId, accounting, events.Rows, songs.Rows, rejects.Count,
            [eventsManifest, songsManifest, filesManifest, fieldCountsManifest], rejectsUrl, parsed, clock.Elapsed - parsed);
    }

    /// <summary>
    /// The fetch stage's work items: each log file alone (it is cut into chunks), song files in groups of up to
    /// <see cref="PipelineOptions.SmallFilesPerChunk"/> files or <see cref="PipelineOptions.ChunkBytes"/> bytes.
    /// </summary>
    private IEnumerable<IReadOnlyList<SourceObject>> Groups(IReadOnlyList<SourceObject> files)
    {
        var group = new List<SourceObject>();
        long bytes = 0;
        foreach (var file in files)
        {
            if (file.Kind != RecordKind.Song)
            {
                yield return [file];
                continue;
            }
            if (group.Count > 0 && (group.Count >= options.SmallFilesPerChunk || bytes + file.Size > options.ChunkBytes))
            {
                yield return group;
                (group, bytes) = ([], 0);
            }
            group.Add(file);
            bytes += file.Size;
        }
        if (group.Count > 0) yield return group;
    }

    private ExecutionDataflowBlockOptions Bounded(int parallelism, CancellationToken ct) => new()
    {
        MaxDegreeOfParallelism = parallelism,
        BoundedCapacity = Math.Max(options.BoundedCapacity, parallelism * 2),
        CancellationToken = ct,
        EnsureOrdered = false,
        SingleProducerConstrained = false,
    };

    private static Exception? FirstFault(IEnumerable<IDataflowBlock> blocks) =>
        blocks.Select(b => b.Completion.Exception?.Flatten().InnerExceptions
                .FirstOrDefault(e => e is not OperationCanceledException))
            .FirstOrDefault(e => e is not null);
}

/// <summary>What the ingest stage produced: staged Parquet + manifests, and the run's accounting.</summary>
internal sealed record IngestResult(
    string RunId, RunAccounting Accounting, long EventRows, long SongRows, long RejectRows,
    IReadOnlyList<string> Manifests, string RejectsUrl, TimeSpan ParseTime, TimeSpan StageTime)
{
    public string EventsManifest => Manifests[0];
    public string SongsManifest => Manifests[1];
    public string FilesManifest => Manifests[2];
    public string FieldCountsManifest => Manifests[3];
}
