using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Sparkify.Stream.Cli;

/// <summary>
/// The process-level test seam, read once at the composition root: with <c>SPARKIFY_TEST_PAUSE_AT=&lt;phase&gt;</c> in
/// its environment, a run logs "pausing at &lt;phase&gt;" and sleeps there (<c>SPARKIFY_TEST_PAUSE_SECONDS</c>, default
/// 30), so a test can signal or SIGKILL the process at a known point. Phases: "ingest" (the first chunk of events is
/// staged), "load_staging/&lt;table&gt;", "merge/&lt;step&gt;" (e.g. "merge/60_songplays") and "commit" — all but
/// "ingest" inside the load transaction — and "committed" (the COMMIT succeeded). The run itself only knows the phase
/// hook this returns (in-process tests inject theirs directly). Not a feature: never set these variables outside tests.
/// </summary>
internal sealed record TestPause(string Phase, TimeSpan Duration)
{
    public const string PhaseVariable = "SPARKIFY_TEST_PAUSE_AT";
    public const string SecondsVariable = "SPARKIFY_TEST_PAUSE_SECONDS";

    public static TestPause? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(PhaseVariable) is not { Length: > 0 } phase) return null;
        var seconds = double.TryParse(Environment.GetEnvironmentVariable(SecondsVariable), NumberStyles.Float,
            CultureInfo.InvariantCulture, out var s) && s >= 0 ? s : 30;
        return new TestPause(phase, TimeSpan.FromSeconds(seconds));
    }

    /// <summary>The phase hook for a run: pauses at <see cref="Phase"/>, does nothing elsewhere.</summary>
    public Func<string, CancellationToken, Task> Hook(ILogger logger) => async (phase, ct) =>
    {
        if (!string.Equals(Phase, phase, StringComparison.Ordinal)) return;
        CliLog.Pausing(logger, phase, Duration.TotalSeconds, PhaseVariable);
        await Task.Delay(Duration, ct);
    };
}
