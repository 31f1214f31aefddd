using System.IO.Compression;
using System.Text;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>A user's mistakes never end in silent success: each gets a warning or an error that says what to fix.</summary>
public sealed class MistakesTests : IDisposable
{
    private readonly Scenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    private string Db => Path.Combine(_scenario.Root, "w.duckdb");

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRun.RunAsync(args);

    private Task<(int Code, string Out, string Err)> RunBatch(params string[] more) =>
        Run(["--batch", "--connection", Db, "--songs", _scenario.SongDir, "--logs", _scenario.LogDir,
             "--staging", _scenario.StagingDir, .. more]);

    private string Config(string text) => _scenario.WriteInput("dwh.cfg", text);

    private async Task<long> SongplaysAsync()
    {
        await using var w = await DuckDbWarehouse.OpenAsync(Db, CancellationToken.None);
        return (await w.CountRowsAsync(CancellationToken.None))["songplays"];
    }

    [Fact]
    public void A_misspelt_section_or_key_warns_naming_the_nearest_known_one()
    {
        var file = Config("[WAREHOUS]\nTARGET = postgres\n[WAREHOUSE]\nTAGRET = postgres\n[RUN]\nKEEP_RUN = 3\nINTERVAL = 5\n[NOTHING_LIKE_IT]\nX = 1\n");

        var options = ConfigurationLoader.Load(file, new Dictionary<string, string?>(), new Dictionary<string, string?>());

        Assert.Equal("duckdb", options.Target);
        Assert.Equal(5, options.IntervalSeconds);
        Assert.Contains(options.Warnings, w => w.Contains("no section [WAREHOUS]", StringComparison.Ordinal) && w.EndsWith("(did you mean [WAREHOUSE]?)", StringComparison.Ordinal));
        Assert.Contains(options.Warnings, w => w.Contains("no key TAGRET in [WAREHOUSE]", StringComparison.Ordinal) && w.EndsWith("(did you mean TARGET?)", StringComparison.Ordinal));
        Assert.Contains(options.Warnings, w => w.Contains("no key KEEP_RUN in [RUN]", StringComparison.Ordinal) && w.EndsWith("(did you mean KEEP_RUNS?)", StringComparison.Ordinal));
        Assert.Contains(options.Warnings, w => w.Contains("no section [NOTHING_LIKE_IT]", StringComparison.Ordinal) && w.Contains("[WAREHOUSE]", StringComparison.Ordinal));
        Assert.Equal(4, options.Warnings.Count);
    }

    [Fact]
    public void Every_key_of_the_example_configuration_is_known()
    {
        var example = Path.Combine(AppContext.BaseDirectory, "dwh.cfg.example");
        var root = Directory.GetParent(AppContext.BaseDirectory);
        while (!File.Exists(example) && root is not null)
        {
            example = Path.Combine(root.FullName, "dwh.cfg.example");
            root = root.Parent;
        }
        // Every commented-out key switched on too: they are the keys docs/reference/configuration.md documents.
        var text = string.Join("\n", File.ReadAllLines(example).Select(l => l.StartsWith("; ", StringComparison.Ordinal) && l.Contains(" = ", StringComparison.Ordinal) && !l.Contains(',') ? l[2..] : l));
        var options = ConfigurationLoader.Load(Config(text + "\n[S3]\nLOG_JSONPATH = s3://udacity-dend/log_json_path.json\n[DWH]\nDWH_CLUSTER_TYPE = multi-node\n"),
            new Dictionary<string, string?>(), new Dictionary<string, string?>());
        Assert.DoesNotContain(options.Warnings, w => w.Contains("reads no", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_prints_the_configuration_warning()
    {
        _scenario.Song("SO1", "Song", "AR1", "Band", 200.0);
        var (code, _, err) = await RunBatch("--config", Config("[RUN]\nMAX_REJCTS = 5\n"));
        Assert.Equal(0, code);
        Assert.Contains("sparkify reads no key MAX_REJCTS in [RUN]; it is ignored (did you mean MAX_REJECTS?)", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".jsonl")]
    [InlineData(".ndjson")]
    [InlineData(".jsonl.gz")]
    [InlineData(".ndjson.gz")]
    [InlineData(".JSONL")]
    public async Task Json_lines_log_files_are_read_and_dated_by_their_name(string extension)
    {
        _scenario.Song("SO1", "Song", "AR1", "Band", 200.0);
        foreach (var day in new[] { "2018-11-01", "2018-11-02" })
        {
            var lines = Encoding.UTF8.GetBytes(Event($"{day}T01:00:00Z", 1, song: "Song", artist: "Band", length: 200.0) + "\n" +
                Event($"{day}T02:00:00Z", 2) + "\n");
            var path = Path.Combine(_scenario.LogDir, "2018", "11", $"{day}-events{extension}");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, extension.EndsWith(".gz", StringComparison.Ordinal) ? Gzip(lines) : lines);
        }

        var (code, _, err) = await Run("backfill", "--from", "2018-11-02", "--to", "2018-11-02", "--connection", Db,
            "--songs", _scenario.SongDir, "--logs", _scenario.LogDir, "--staging", _scenario.StagingDir);

        Assert.True(code == 0, err);
        Assert.Equal(2, await SongplaysAsync());
        var (all, _, _) = await RunBatch();
        Assert.Equal(0, all);
        Assert.Equal(4, await SongplaysAsync());
    }

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest)) gzip.Write(content);
        return buffer.ToArray();
    }

    [Fact]
    public async Task A_source_holding_only_files_sparkify_does_not_read_is_a_warning_naming_them()
    {
        _scenario.Song("SO1", "Song", "AR1", "Band", 200.0);
        _scenario.WriteInput("log_data/2018/11/2018-11-01-events.csv", "ts,userId\n1,2\n");
        _scenario.WriteInput("log_data/2018/11/2018-11-01-events.parquet", "PAR1");

        var (code, _, err) = await RunBatch();

        Assert.Equal(0, code);
        Assert.Contains($"the event source {_scenario.LogDir} holds 2 file(s) and none is a kind sparkify reads (.json, .jsonl or .ndjson, " +
            "each optionally gzipped (.gz)): 2018/11/2018-11-01-events.csv, 2018/11/2018-11-01-events.parquet", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_source_stays_quiet()
    {
        _scenario.Song("SO1", "Song", "AR1", "Band", 200.0);
        Directory.CreateDirectory(_scenario.LogDir);

        var (code, _, err) = await RunBatch();

        Assert.Equal(0, code);
        Assert.DoesNotContain("none is a kind", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("query", "top-songs")]
    [InlineData("check")]
    public async Task Query_and_check_without_a_warehouse_exit_2_naming_the_path_and_create_nothing(params string[] command)
    {
        var folder = Path.Combine(_scenario.Root, "nowhere");
        var db = Path.Combine(folder, "warehouse.duckdb");

        var (code, output, err) = await Run([.. command, "--connection", db]);

        Assert.Equal(2, code);
        Assert.Contains($"error: no warehouse at {db}", err, StringComparison.Ordinal);
        Assert.Equal("", output);
        Assert.False(Directory.Exists(folder), "the command made the warehouse's folder");
    }

    [Fact]
    public async Task Query_and_check_without_a_warehouse_in_the_default_place_create_no_sparkify_folder()
    {
        using var process = await Runs.SparkifyProcess.RunAsync(["query", "top-songs"], _scenario.Root);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains($"no warehouse at {Path.Combine(_scenario.Root, ".sparkify", "warehouse.duckdb")}", process.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_scenario.Root, ".sparkify")));
    }

    [Theory]
    [InlineData(new[] { "rn", "--batch" }, "error: Unrecognized command or argument 'rn'. Did you mean 'run'?")]
    [InlineData(new[] { "--bach" }, "error: Unrecognized command or argument '--bach'. Did you mean '--batch'?")]
    [InlineData(new[] { "backfil", "--from", "2018-11-01", "--to", "2018-11-02" }, "Did you mean 'backfill'?")]
    [InlineData(new[] { "run", "--targt", "postgres" }, "error: Unrecognized command or argument '--targt'. Did you mean '--target'?")]
    [InlineData(new[] { "doctor", "--fromat", "json" }, "Did you mean '--format'?")]
    [InlineData(new[] { "query", "--formt", "csv", "top-songs" }, "error: unknown option '--formt'. Did you mean '--format'?")]
    [InlineData(new[] { "query", "top-sngs" }, "error: no query named 'top-sngs' (did you mean 'top-songs'?); see 'sparkify query --list'")]
    public async Task A_typo_in_a_command_option_or_query_name_gets_a_did_you_mean(string[] args, string expected)
    {
        var (code, _, err) = await Run(args);
        Assert.Equal(2, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_mode_says_at_once_what_it_watches_how_often_and_how_to_stop()
    {
        // A server that is not there ends the watcher at start-up (exit 2); the line comes before anything is opened.
        var (code, _, err) = await Run("--interval", "30", "--songs", _scenario.SongDir, "--logs", _scenario.LogDir,
            "--target", "postgres", "--connection", "Host=127.0.0.1;Port=1;Timeout=2");

        Assert.Equal(2, code);
        var first = err.Split('\n')[0];
        Assert.Equal($"watching {_scenario.SongDir} and {_scenario.LogDir} for new files every 30 s, loading into postgres; " +
            "Ctrl-C stops (after the pass in flight), --batch runs one pass and exits", first.TrimEnd());
        var batch = await Run("--batch", "--songs", _scenario.SongDir, "--logs", _scenario.LogDir,
            "--target", "postgres", "--connection", "Host=127.0.0.1;Port=1;Timeout=2");
        Assert.DoesNotContain("watching", batch.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_replace_says_how_many_songplays_of_the_range_it_replaces_whatever_source_they_came_from()
    {
        // Loaded from one folder: three plays on 11-04, one on 11-05, one on 11-06.
        _scenario.Song("SO1", "Song", "AR1", "Band", 200.0);
        foreach (var (day, plays) in new[] { ("2018-11-04", 3), ("2018-11-05", 1), ("2018-11-06", 1) })
            _scenario.Log(day, [.. Enumerable.Range(0, plays).Select(i => Event($"{day}T0{i}:00:00Z", i + 1, song: "Song", artist: "Band", length: 200.0))]);
        Assert.Equal(0, (await RunBatch()).Code);
        Assert.Equal(5, await SongplaysAsync());

        // Replaced from another folder holding one play on 11-04.
        using var other = new Scenario();
        other.Log("2018-11-04", Event("2018-11-04T09:00:00Z", 9, song: "Song", artist: "Band", length: 200.0));
        var (code, _, err) = await Run("backfill", "--from", "2018-11-04", "--to", "2018-11-05", "--replace", "--connection", Db,
            "--songs", _scenario.SongDir, "--logs", other.LogDir, "--staging", _scenario.StagingDir);

        Assert.True(code == 0, err);
        Assert.Contains("--replace: the 4 songplays of 2018-11-04…2018-11-05 in the warehouse are deleted and replaced by what " +
            "the range's log files hold now, whatever source or file they came from", err, StringComparison.Ordinal);
        Assert.Equal(2, await SongplaysAsync());
    }

    [Fact]
    public async Task Backfill_replace_that_only_stages_is_refused_before_anything_is_read()
    {
        // --replace replaces the range's songplays when it loads; --stage-only loads nothing. Together they were once a
        // stage that re-read the range's loaded files for a loader that would then skip them: now a usage error.
        _scenario.Log("2018-11-04", Event("2018-11-04T09:00:00Z", 9));

        var (code, _, err) = await Run("backfill", "--from", "2018-11-04", "--to", "2018-11-04", "--replace", "--stage-only",
            "--connection", Db, "--songs", _scenario.SongDir, "--logs", _scenario.LogDir, "--staging", _scenario.StagingDir);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--stage-only loads nothing, so there is nothing for --replace to replace", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_scenario.StagingDir, "runs")), "nothing was staged");
        Assert.False(File.Exists(Db), "no warehouse was opened");
    }
}
