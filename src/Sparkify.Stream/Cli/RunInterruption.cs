using System.Runtime.InteropServices;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Cli;

/// <summary>
/// Ctrl+C (SIGINT) during a one-pass run (<c>--batch</c>, <c>backfill</c>, <c>stage</c>): the run says where it left
/// things, shows the terminal's cursor again (a live display hides it) and exits 130.
/// <list type="bullet">
/// <item>Before the load's COMMIT is sent: the run is cancelled, its transaction rolled back: "interrupted: nothing
/// committed".</item>
/// <item>Once the COMMIT has been sent: it is not cancelled (that would leave its outcome unknown); the run finishes
/// what follows it (the package states, report.json) and says "interrupted: committed".</item>
/// <item>A second Ctrl+C stops the process at once, saying what is known: nothing committed, committed, or — the
/// COMMIT sent, its answer not back — "the commit's outcome is unknown: `sparkify packages` shows it".</item>
/// </list>
/// The run reports its phases through <see cref="Watch"/>: "commit" just before the COMMIT is sent, "committed" once it
/// succeeded (the load's phases, <see cref="Warehouse.LoadRequest.OnPhase"/>). Watch mode has its own rule
/// (<see cref="WatchLoop"/>): this is not used there.
/// </summary>
internal sealed class RunInterruption : IDisposable
{
    public const string NothingCommitted = "interrupted: nothing committed";
    public const string Committed = "interrupted: committed";
    public const string OutcomeUnknown = "interrupted: the commit's outcome is unknown: `sparkify packages` shows it";

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _cancel;
    private readonly TextWriter _errors;
    private readonly Action _restoreTerminal;
    private readonly PosixSignalRegistration _sigint;
    private CommitState _state;
    private int _signals;

    /// <param name="errors">Where the one closing line goes (stderr).</param>
    /// <param name="restoreTerminal">Shows the cursor again (a no-op when the output is not a terminal).</param>
    public RunInterruption(TextWriter errors, Action restoreTerminal, CancellationToken ct)
    {
        _errors = errors;
        _restoreTerminal = restoreTerminal;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    internal enum CommitState
    {
        NotSent,
        Sent,
        Committed,
    }

    /// <summary>The run's token: cancelled by Ctrl+C until the COMMIT is sent, never after.</summary>
    public CancellationToken Token => _cancel.Token;

    public bool Interrupted => Volatile.Read(ref _signals) > 0;

    /// <summary>The run's phase hook: <paramref name="inner"/> (the test-only pause), then the commit's progress.</summary>
    public Func<string, CancellationToken, Task> Watch(Func<string, CancellationToken, Task>? inner) => async (phase, ct) =>
    {
        if (inner is not null) await inner(phase, ct);
        lock (_gate)
        {
            switch (phase)
            {
                case LoadPhases.Commit:
                    // From here the COMMIT is sent: a Ctrl+C that came first rolls back instead.
                    _cancel.Token.ThrowIfCancellationRequested();
                    _state = CommitState.Sent;
                    break;
                case LoadPhases.Committed:
                    _state = CommitState.Committed;
                    break;
            }
        }
    };

    /// <summary>
    /// Runs the pass on <see cref="Token"/>. Not interrupted: its exit code, its exceptions. Interrupted: the closing
    /// line for where it stopped, the cursor shown, exit 130.
    /// </summary>
    public async Task<int> RunAsync(Func<CancellationToken, Task<int>> run)
    {
        try
        {
            var code = await run(Token);
            if (!Interrupted) return code;
            return Close(Describe(Settled(succeeded: true), failure: null));
        }
        catch (Exception failure) when (Interrupted)
        {
            return Close(Describe(Settled(succeeded: false), failure));
        }
    }

    /// <summary>Where the commit stands once the run has returned (succeeded) or thrown.</summary>
    private CommitState Settled(bool succeeded)
    {
        lock (_gate)
        {
            // The run returned after sending its COMMIT: the COMMIT succeeded.
            if (succeeded && _state == CommitState.Sent) _state = CommitState.Committed;
            return _state;
        }
    }

    /// <summary>The closing line: where the run stopped, and what failed after a commit, if anything did.</summary>
    internal static string Describe(CommitState state, Exception? failure) => state switch
    {
        CommitState.NotSent => NothingCommitted,
        CommitState.Committed when failure is null => Committed,
        CommitState.Committed => $"{Committed}; then {failure.GetType().Name}: {Secrets.Mask(failure.Message)}",
        _ => OutcomeUnknown,
    };

    private int Close(string line)
    {
        _restoreTerminal();
        _errors.WriteLine(line);
        return ExitCodes.Interrupted;
    }

    private void OnSignal(PosixSignalContext context)
    {
        lock (_gate)
        {
            if (Interlocked.Increment(ref _signals) > 1)
            {
                // Again: stop now, saying what is known; the default action ends the process (exit 130).
                _restoreTerminal();
                _errors.WriteLine(Describe(_state, failure: null));
                context.Cancel = false;
                return;
            }
            context.Cancel = true;
            if (_state == CommitState.NotSent)
                _ = _cancel.CancelAsync();   // not inline: the run's continuations must not run on the signal thread
            else
                _errors.WriteLine("interrupted after the commit was sent: finishing the run (Ctrl+C again to stop at once)");
        }
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _cancel.Dispose();
    }
}
