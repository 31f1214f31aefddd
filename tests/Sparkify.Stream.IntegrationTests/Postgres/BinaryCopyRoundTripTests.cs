using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Records;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.IntegrationTests.Postgres.StagedParts;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>
/// Parquet parts written by the real part writer, streamed into Postgres by binary COPY: every value arrives exactly
/// (read back from the staging tables inside the run's transaction, and from the star tables after commit).
/// </summary>
public sealed class BinaryCopyRoundTripTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private const string LogKey = "log_data/2018/11/2018-11-01-events.json";

    /// <summary>65,535 UTF-8 bytes (21,845 three-byte characters): Redshift's VARCHAR limit, exactly.</summary>
    private static readonly string Longest = string.Concat(Enumerable.Repeat("日", 21_845));

    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-pgcopy-").FullName;

    private static LogEvent Play(long ts, int line, int? user = 7, int? session = 1, int? item = 0) => new()
    {
        EventId = EventIds.Compute(ts, session, item, user),
        Ts = ts,
        UserId = user,
        SessionId = session,
        ItemInSession = item,
        SourceKey = LogKey,
        SourceLine = line,
    };

    private static List<LogEvent> SpecialEvents() =>
    [
        // 2018-11-01 20:57:10.796 UTC: every column set, non-ASCII everywhere, the longest string allowed.
        Play(1541105830796, 1) with
        {
            FirstName = "Zoë", LastName = "日本", Gender = "F", Level = "paid", Auth = "Logged In", Method = "PUT",
            Page = "NextSong", Location = "São Paulo 🎶", UserAgent = Longest, Artist = "Sigur Rós",
            Song = "Hoppípolla 🎵", Length = 0.1, Status = 200, Registration = 1540919166796,
        },
        // Every optional column NULL (a logged-out event), a timestamp one millisecond after a second.
        Play(1541105831001, 2, user: null, session: null, item: null),
        // Doubles at the edges, tabs, newlines, quotes and backslashes (COPY's text format would need escaping).
        Play(1541105832999, 3, user: 9, item: 1) with { Length = 1e-300, Song = "tab\there\nnew'line\"\\", Page = "NextSong" },
        Play(1541105833000, 4, user: 9, item: 2) with { Length = 123.456789012345, Song = "x", Page = "NextSong" },
        Play(1541105834500, 5, user: 10, item: 3) with { Length = double.Epsilon, Registration = long.MaxValue },
        Play(1541105835500, 6, user: int.MaxValue, session: int.MinValue, item: int.MaxValue) with
        {
            Length = double.MaxValue, Registration = long.MinValue, Status = 599,
        },
        // 1999-12-31 23:59:59.999 and 2099-12-31 23:59:59.999: the ends of the accepted ts range.
        Play(946684799999, 7, user: 11, item: 4),
        Play(4102444799999, 8, user: 11, item: 5),
    ];

    /// <summary>Ordinary rows, enough for several row groups and parts.</summary>
    private static IEnumerable<LogEvent> Bulk(int count) => Enumerable.Range(0, count).Select(i =>
        Play(1541106000000 + i * 1_001L, 100 + i, user: 1 + i % 5, session: 10, item: i) with
        {
            Page = i % 3 == 0 ? "Home" : "NextSong",
            Level = i % 2 == 0 ? "free" : "paid",
            Length = i / 7.0,
            Song = $"Song {i}",
            Artist = "Band",
            Location = i % 4 == 0 ? null : "Town",
        });

    private static List<SongRecord> Songs() =>
    [
        new()
        {
            SongId = "SOCAFE", Title = "Café 日本 🎵", ArtistId = "ARÉ", ArtistName = "Sigur Rós",
            ArtistLocation = "Reykjavík", ArtistLatitude = 1e-300, ArtistLongitude = 123.456789012345, Duration = 0.1,
            Year = 1999, NumSongs = 1, SourceKey = "song_data/A/B/C/TRCAFE.json",
        },
        new() { SongId = "SONULL", SourceKey = "song_data/A/B/C/TRNULL.json" },
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_staged_value_arrives_exactly(bool forwardOnlyStore)
    {
        var events = SpecialEvents().Concat(Bulk(300)).ToList();
        var songs = Songs();
        var files = new List<StagedFile> { new(LogKey, "event", "etag-1", 123_456, "2018-11-01", 308, 308, 0, "run-1") };
        var local = new LocalStagingStore(Path.Combine(_dir, "staging"));
        var forwardOnly = new ForwardOnlyStagingStore(local);
        IStagingStore store = forwardOnlyStore ? forwardOnly : local;
        var (request, eventParts) = await StageAsync(store, Path.Combine(_dir, "work"), "run-1",
            new PartOptions(RowGroupRows: 64, PartRows: 128), events, songs, files);
        Assert.True(eventParts >= 3, $"expected several event parts, got {eventParts}");

        await using var w = await PostgresWarehouses.OpenEmptyAsync(postgres);
        await w.CreateTablesAsync(drop: false, CancellationToken.None);
        List<string>? stagedEvents = null, stagedSongs = null;
        var spoolsBefore = Spools();
        var result = await w.LoadAsync(request with
        {
            OnPhase = async (phase, _) =>
            {
                if (!phase.StartsWith("merge/", StringComparison.Ordinal)) return;
                stagedEvents ??= await ExactRowsAsync(w, "staging_events");
                stagedSongs ??= await ExactRowsAsync(w, "staging_songs");
            },
        }, CancellationToken.None);

        Assert.Equal(events.Select(e => ExactRow(Row(e))).Order(StringComparer.Ordinal), stagedEvents);
        Assert.Equal(songs.Select(s => ExactRow(Row(s))).Order(StringComparer.Ordinal), stagedSongs);
        Assert.Equal(events.Count, result.StagedRows["staging_events"]);
        Assert.Equal(1, result.StagedRows["staging_files"]);
        if (forwardOnlyStore) Assert.True(forwardOnly.Opened >= eventParts + 2);
        Assert.Equal(spoolsBefore, Spools());   // spooled copies of forward-only parts delete themselves

        var play = await w.QueryAsync(
            $"SELECT start_time, user_agent, location, level FROM songplays WHERE songplay_id = {events[0].EventId}",
            CancellationToken.None);
        Assert.Equal(ExactRow([new DateTime(2018, 11, 1, 20, 57, 10, 796), Longest, "São Paulo 🎶", "paid"]),
            ExactRow(Assert.Single(play.Rows)));
        Assert.Equal(["SOCAFE|Café 日本 🎵|ARÉ|1999|0.1", "SONULL|NULL|NULL|NULL|NULL"],
            await PostgresWarehouses.DumpAsync(w, "songs"));
        Assert.Equal(["ARÉ|Sigur Rós|Reykjavík|1E-300|123.456789012345"], await PostgresWarehouses.DumpAsync(w, "artists"));
        Assert.Contains("7|Zoë|日本|F|paid|2018-11-01 20:57:10.796", await PostgresWarehouses.DumpAsync(w, "users"));
    }

    [Fact]
    public async Task A_nul_character_fails_the_load_naming_the_record_and_the_warehouse_stays_as_it_was()
    {
        var store = new LocalStagingStore(Path.Combine(_dir, "staging"));
        var parts = new PartOptions(RowGroupRows: 64, PartRows: 128);
        var good = Bulk(200).ToList();
        var (first, _) = await StageAsync(store, Path.Combine(_dir, "work"), "run-1", parts, good, Songs(), []);
        await using var w = await PostgresWarehouses.OpenEmptyAsync(postgres);
        await w.CreateTablesAsync(drop: false, CancellationToken.None);
        await w.LoadAsync(first, CancellationToken.None);
        var before = await Tables.DumpAllAsync(w);

        // Rows of earlier parts are on the wire already when the bad row (third part) comes up.
        var bad = Bulk(300).Select(e => e.SourceLine == 100 + 290 ? e with { FirstName = "A\0nn" } : e).ToList();
        var (second, parts2) = await StageAsync(store, Path.Combine(_dir, "work"), "run-2", parts, bad, [], []);
        Assert.True(parts2 >= 3);
        var e = await Assert.ThrowsAsync<LoadStepException>(() => w.LoadAsync(second, CancellationToken.None));
        Assert.Equal($"the postgres load failed at COPY of staging_events: the staging_events record from {LogKey} line 390 has U+0000 in first_name: Postgres text cannot " +
                     "hold that character (DuckDB can), so this record cannot be loaded into Postgres; nothing was committed",
            e.Message);
        Assert.Equal(before, await Tables.DumpAllAsync(w));

        var (third, _) = await StageAsync(store, Path.Combine(_dir, "work"), "run-3", parts, Bulk(300).ToList(), [], []);
        await w.LoadAsync(third, CancellationToken.None);
        Assert.True((await Tables.DumpAsync(w, "songplays")).Count > before["songplays"].Count);
    }

    [Fact]
    public async Task A_corrupt_part_midway_through_a_copy_fails_the_load_and_the_session_goes_on()
    {
        var store = new LocalStagingStore(Path.Combine(_dir, "staging"));
        var parts = new PartOptions(RowGroupRows: 64, PartRows: 128);
        await using var w = await PostgresWarehouses.OpenEmptyAsync(postgres);
        await w.CreateTablesAsync(drop: false, CancellationToken.None);
        var (first, _) = await StageAsync(store, Path.Combine(_dir, "work"), "run-1", parts, Bulk(100).ToList(), [], []);
        await w.LoadAsync(first, CancellationToken.None);
        var before = await Tables.DumpAllAsync(w);

        var (second, count) = await StageAsync(store, Path.Combine(_dir, "work"), "run-2", parts, Bulk(300).ToList(), [], []);
        Assert.True(count >= 3);
        // The second part's footer is overwritten in place: same size, so the manifest check passes.
        var part = store.PathOf("runs/run-2/events/part-00001.parquet");
        await using (var file = File.OpenWrite(part))
        {
            file.Seek(-8, SeekOrigin.End);
            file.Write("garbage!"u8);
        }
        await Assert.ThrowsAnyAsync<Exception>(() => w.LoadAsync(second, CancellationToken.None));
        Assert.Equal(before, await Tables.DumpAllAsync(w));

        var (third, _) = await StageAsync(store, Path.Combine(_dir, "work"), "run-3", parts, Bulk(300).ToList(), [], []);
        await w.LoadAsync(third, CancellationToken.None);
        Assert.Equal(200, (await Tables.DumpAsync(w, "songplays")).Count);
    }

    private static async Task<List<string>> ExactRowsAsync(IWarehouse w, string table)
    {
        var result = await w.QueryAsync($"SELECT * FROM {SqlText.Identifier(table)}", CancellationToken.None);
        return [.. result.Rows.Select(r => ExactRow(r)).Order(StringComparer.Ordinal)];
    }

    private static int Spools() => Directory.GetFiles(Path.GetTempPath(), "sparkify-pg-*.parquet").Length;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
