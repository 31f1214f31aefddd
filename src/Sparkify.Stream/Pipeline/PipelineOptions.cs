using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Pipeline;

/// <summary>How the Dataflow graph is sized. Every block is bounded, so memory stays flat whatever the input size.</summary>
/// <param name="Parallelism">Parse/validate workers (default: the core count).</param>
/// <param name="FetchParallelism">Files read at once (default 8: local reads are cheap, S3 GETs are latency-bound).</param>
/// <param name="ChunkBytes">Target size of a chunk of log lines handed to a parse worker (default 1 MiB).</param>
/// <param name="MaxAttempts">Reads of one file before a transient fault fails the run (default 5).</param>
/// <param name="SmallFilesPerChunk">Song files packed into one chunk (default 64: one Dataflow message per tiny file costs more than reading it).</param>
internal sealed record PipelineOptions(
    int Parallelism, int FetchParallelism = 8, int ChunkBytes = 1 << 20, int MaxAttempts = Resilience.DefaultAttempts, int SmallFilesPerChunk = 64)
{
    /// <summary>Which read faults are worth another try (S3 5xx, throttling, resets); local files: none.</summary>
    public Func<Exception, bool> IsTransient { get; init; } = _ => false;

    /// <summary>Messages a block may hold: enough to keep every worker busy, few enough to keep memory flat.</summary>
    public int BoundedCapacity => Math.Max(2, Parallelism * 2);

    public static PipelineOptions Default => new(Environment.ProcessorCount);

    public void Validate()
    {
        if (Parallelism is < 1 or > 256) throw new ConfigurationException("--parallelism must be between 1 and 256");
        if (FetchParallelism is < 1 or > 256) throw new ConfigurationException("fetch parallelism must be between 1 and 256");
        if (ChunkBytes < 4096) throw new ConfigurationException("chunk size must be at least 4096 bytes");
        if (MaxAttempts < 1) throw new ConfigurationException("attempts must be at least 1");
        if (SmallFilesPerChunk < 1) throw new ConfigurationException("small files per chunk must be at least 1");
    }
}
