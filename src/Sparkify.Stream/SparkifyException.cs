namespace Sparkify.Stream;

/// <summary>Process exit codes of SPEC §5.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int RunFailed = 1;
    public const int Usage = 2;
    public const int RejectLimit = 3;

    /// <summary>Ctrl+C (SIGINT) during a one-pass run: 128 + the signal's number, as a shell reports it.</summary>
    public const int Interrupted = 130;
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
