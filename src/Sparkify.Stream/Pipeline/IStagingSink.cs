using Sparkify.Stream.Records;

namespace Sparkify.Stream.Pipeline;

/// <summary>
/// Where the ingest pipeline hands one run's output: a sink per staging table, and the run's own files (rejects.csv).
/// The pipeline declares what it needs; Staging implements it (<c>StagingSink</c>: Parquet parts and COPY manifests
/// in the staging store), and the job that runs a pass opens one per run.
/// </summary>
internal interface IStagingSink : IAsyncDisposable
{
    /// <summary>The run this output belongs to.</summary>
    string RunId { get; }

    /// <summary>A local folder, created, for the files the pipeline writes itself before they are stored (rejects.csv).</summary>
    string WorkFolder { get; }

    /// <summary>staging_events, fed column by column.</summary>
    ITableSink<RecordBatch> Events { get; }

    /// <summary>staging_songs.</summary>
    ITableSink<RecordBatch> Songs { get; }

    /// <summary>staging_files: a row per input file of the run with its counts (the ledger's rows after the merge).</summary>
    ITableSink<IReadOnlyList<FileCounts>> Files { get; }

    /// <summary>staging_field_counts: each input file's field counts (schema drift), merged into sparkify_field_counts.</summary>
    ITableSink<IReadOnlyList<FileCounts>> FieldCounts { get; }

    /// <summary>Stores a finished local file of the run under <paramref name="name"/> (e.g. "rejects.csv").</summary>
    /// <returns>The stored file's URL, for people (report.json, messages).</returns>
    Task<string> PutFileAsync(string name, string localFile, CancellationToken ct);
}

/// <summary>One staging table of a run. Not thread-safe: one sink per table, fed by one block.</summary>
/// <typeparam name="TRows">What the pipeline hands over; the sink copies it, so the caller may reuse it afterwards.</typeparam>
internal interface ITableSink<in TRows>
{
    /// <summary>Rows added so far.</summary>
    long Rows { get; }

    /// <param name="sourceBytes">The input bytes these rows came from (the sink may cut its row groups by them too).</param>
    Task AddAsync(TRows rows, long sourceBytes, CancellationToken ct);

    /// <summary>Writes what is buffered, closes the table and stores its manifest.</summary>
    /// <returns>The manifest's path in the staging area (what a load is given).</returns>
    Task<string> CompleteAsync(CancellationToken ct);
}
