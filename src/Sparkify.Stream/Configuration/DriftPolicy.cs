namespace Sparkify.Stream.Configuration;

/// <summary><c>--on-drift</c> / <c>[RUN] ON_DRIFT</c>: what a run does when a contract field has vanished.</summary>
internal enum DriftPolicy
{
    /// <summary>Warn (console, report, metrics) and load (the default).</summary>
    Warn,

    /// <summary>Stop the run before anything is staged for loading: exit 3, nothing committed.</summary>
    Fail,
}

internal static class DriftPolicies
{
    /// <summary>Reads <c>warn</c> or <c>fail</c> (any case).</summary>
    public static DriftPolicy Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "warn" => DriftPolicy.Warn,
        "fail" => DriftPolicy.Fail,
        _ => throw new ConfigurationException($"--on-drift must be warn or fail, not '{text}'"),
    };
}
