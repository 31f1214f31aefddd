using Sparkify.Stream.Sources;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Semantics;

/// <summary>`sparkify forget` on every target: forgotten files leave the ledger and their drift history, the next run reads exactly them, and the tables are those of a clean load.</summary>
public abstract partial class StarSchemaSemantics
{
    [Fact]
    public async Task Forgotten_files_are_read_again_by_the_next_run_and_the_tables_equal_a_clean_load()
    {
        using var s = new Scenario();
        s.Song("SO1", "Song", "AR1", "Band", 200.0)
         .Song("SO2", "Other", "AR1", "Band Renamed", 100.0, file: "A/B/D/TRSO2.json")
         .Log("2018-11-01", Event("2018-11-01T10:00:00Z", 1, level: "free", song: "Song", artist: "Band", length: 200.0),
              Event("2018-11-01T11:00:00Z", 2, level: "free", song: "Other", artist: "Band Renamed", length: 100.0))
         .Log("2018-11-02", Event("2018-11-02T10:00:00Z", 1, level: "paid", song: "Song", artist: "Band", length: 200.0, sessionId: 2),
              Event("2018-11-01T11:00:00Z", 2, level: "free", song: "Other", artist: "Band Renamed", length: 100.0))   // logged again a day late
         .Log("2018-11-03", Event("2018-11-03T10:00:00Z", 3, level: "paid", page: "Home", sessionId: 3));
        await using var w = await OpenEmptyWarehouseAsync();
        var first = await s.RunAsync(w);
        var tables = await Tables.DumpAllAsync(w);
        var ledger = await w.ReadLedgerFilesAsync(LedgerFilter.All, CancellationToken.None);
        Assert.Equal(5, ledger.Count);
        string[] forgotten = ["log_data/2018/11/2018-11-01-events.json", "song_data/A/B/D/TRSO2.json"];

        Assert.Equal(2, await w.ForgetAsync([.. forgotten, "log_data/never/loaded.json"], CancellationToken.None));

        Assert.Equal(ledger.Select(f => f.Key).Except(forgotten),
            (await w.ReadLedgerFilesAsync(LedgerFilter.All, CancellationToken.None)).Select(f => f.Key));
        Assert.DoesNotContain((await w.QueryAsync("SELECT DISTINCT source_key FROM sparkify_field_counts", CancellationToken.None)).Rows,
            r => forgotten.Contains((string)r[0]!));
        TableAssert.Equal(tables, await Tables.DumpAllAsync(w), "forget leaves the star rows");

        var again = await s.RunAsync(w);
        Assert.Equal((5, 3, 2), (again.Files.Listed, again.Files.Skipped, again.Files.Loaded));
        var reloaded = await w.ReadLedgerFilesAsync(LedgerFilter.All, CancellationToken.None);
        Assert.Equal(ledger.Select(f => f.Key), reloaded.Select(f => f.Key));
        Assert.All(reloaded, f => Assert.Equal(forgotten.Contains(f.Key) ? again.RunId : first.RunId, f.RunId));
        TableAssert.Equal(await OneShotAsync(s), await Tables.DumpAllAsync(w), "forget + run vs one run over the same files");
        Assert.Equal(0, (await s.RunAsync(w)).Files.Loaded);
    }

    [Fact]
    public async Task The_ledger_lists_by_kind_and_load_time_in_key_order()
    {
        using var s = new Scenario();
        s.OneSongplay().Log("2018-11-02", Event("2018-11-02T10:00:00Z", 1, page: "Home"));
        await using var w = await OpenEmptyWarehouseAsync();
        var started = DateTime.UtcNow.AddSeconds(-1);
        var run = await s.RunAsync(w);

        var all = await w.ReadLedgerFilesAsync(LedgerFilter.All, CancellationToken.None);
        Assert.Equal(["log_data/2018/11/2018-11-01-events.json", "log_data/2018/11/2018-11-02-events.json", "song_data/A/B/C/TRSO1.json"],
            all.Select(f => f.Key));
        var song = all[2];
        Assert.Equal(("song", 1L, 1L, 0L, run.RunId), (song.Kind, song.RecordsRead, song.RecordsValid, song.RecordsRejected, song.RunId));
        Assert.Equal(new FileInfo(Path.Combine(s.SongDir, "A/B/C/TRSO1.json")).Length, song.Size);
        Assert.InRange(song.LoadedAt, started.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(all.Take(2), await w.ReadLedgerFilesAsync(new LedgerFilter(RecordKind.Event), CancellationToken.None));
        Assert.Equal([song], await w.ReadLedgerFilesAsync(new LedgerFilter(RecordKind.Song, song.LoadedAt), CancellationToken.None));
        Assert.Empty(await w.ReadLedgerFilesAsync(new LedgerFilter(Since: song.LoadedAt.AddMilliseconds(1)), CancellationToken.None));
    }
}
