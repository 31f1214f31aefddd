using Npgsql;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>Watching a Postgres session wait for a lock (pg_locks), for the tests of the load lock.</summary>
internal static class LockWaits
{
    /// <summary>How long a step may take on a busy machine before a test fails instead of hanging.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>The server process of a warehouse's session.</summary>
    public static async Task<int> PidAsync(IWarehouse warehouse) =>
        (int)(await warehouse.QueryAsync("SELECT pg_backend_pid()", CancellationToken.None)).Rows[0][0]!;

    /// <summary>
    /// What session <paramref name="pid"/> is first seen waiting to lock (a table's name, else the lock's type) before
    /// <paramref name="work"/> ends; null when it ends without having been seen waiting.
    /// </summary>
    public static async Task<string?> WaitingForAsync(PostgresFixture postgres, Task work, int pid)
    {
        await using var admin = await postgres.OpenConnectionAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT coalesce(c.relname::text, l.locktype) FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation " +
            "WHERE l.pid = @pid AND NOT l.granted LIMIT 1", admin);
        waiting.Parameters.AddWithValue("pid", pid);
        var polls = 0;
        while (!work.IsCompleted)
        {
            if (await waiting.ExecuteScalarAsync() is string what) return what;
            await Task.WhenAny(work, Task.Delay(50));
            if (++polls > Patience.TotalMilliseconds / 50) throw new TimeoutException("neither finished nor waited for a lock");
        }
        return null;
    }
}

/// <summary>Holds a load at one of its phases until released: the tests' load in flight, holding the load lock.</summary>
internal sealed class PhaseHold(string phase)
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The load's phase hook: at <c>phase</c> it says so and waits for <see cref="Release"/>.</summary>
    public async Task OnPhaseAsync(string current)
    {
        if (current != phase) return;
        _held.TrySetResult();
        await _release.Task;
    }

    /// <summary>Returns once the load is held (fails if it ends first, or within <see cref="LockWaits.Patience"/>).</summary>
    public async Task ReachedAsync(Task load)
    {
        await Task.WhenAny(_held.Task, load).WaitAsync(LockWaits.Patience);
        Assert.True(_held.Task.IsCompleted, $"the load never reached {phase}");
    }

    public void Release() => _release.TrySetResult();
}
