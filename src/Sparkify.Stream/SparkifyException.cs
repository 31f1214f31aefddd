namespace Sparkify.Stream;

/// <summary>Process exit codes (docs/reference/exit-codes.md).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int RunFailed = 1;
    public const int Usage = 2;
    public const int RejectLimit = 3;

    /// <summary>Ctrl+C (SIGINT) during a one-pass run: 128 + the signal's number, as a shell reports it.</summary>
    public const int Interrupted = 130;

    /// <summary>The load committed, but a step after the commit failed (the report, a read): <see cref="CommittedException"/>.</summary>
    public const int Committed = 4;
}

/// <summary>The one exception base type; each subtype maps to an exit code.</summary>
internal class SparkifyException(string message, int exitCode = ExitCodes.RunFailed, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>A bad option, configuration value or connection string: exit 2, nothing run.</summary>
internal sealed class ConfigurationException(string message, Exception? inner = null)
    : SparkifyException(message, ExitCodes.Usage, inner);

/// <summary>
/// The run's load COMMITTED, and a step after the commit failed: writing the report, marking the packages loaded, a
/// read after the commit. Exit 4 with "loaded and committed; &lt;what failed&gt;": the data is in the warehouse, a re-run
/// loads nothing again, and no message may say "nothing was committed". Whatever runs after a commit goes through
/// <see cref="AfterCommitAsync{T}"/> (or <see cref="AfterCommitAsync"/>), so a failure there is reported as this.
/// </summary>
internal sealed class CommittedException(string what, Exception? inner = null)
    : SparkifyException($"loaded and committed; {what}", ExitCodes.Committed, inner)
{
    /// <summary>Runs <paramref name="step"/>, a step after the load's commit: its failure (not a cancellation of the
    /// caller's own making: none is passed after a commit) becomes a <see cref="CommittedException"/> naming
    /// <paramref name="what"/> ("the report could not be written to r.json").</summary>
    public static async Task<T> AfterCommitAsync<T>(string what, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception failure) when (failure is not CommittedException)
        {
            var cause = failure is SparkifyException ? failure.Message : $"{failure.GetType().Name}: {Secrets.Mask(failure.Message)}";
            throw new CommittedException($"{what}: {cause}", failure);
        }
    }

    /// <inheritdoc cref="AfterCommitAsync{T}"/>
    public static Task AfterCommitAsync(string what, Func<Task> step) =>
        AfterCommitAsync(what, async () =>
        {
            await step();
            return true;
        });
}
