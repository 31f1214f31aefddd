using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Tests.Semantics;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>
/// `--dry-run` at the process level, on every target: it says what the run would read (new, changed, re-read, skipped,
/// in a waiting package, with sizes), what it would load, what `backfill --replace` would delete and which staging
/// folders it would prune; and it changes nothing — no table is created in an empty warehouse, a loaded one keeps
/// every row (DuckDB: its file byte for byte), the staging area keeps every file byte for byte. The run that follows
/// does what the dry run said.
/// </summary>
public abstract partial class RunProcessSemantics
{
    /// <summary>Every file below the staging folder, by relative path, with its SHA-256 (empty when there is none).</summary>
    private static string StagingFingerprint(Scenario s)
    {
        if (!Directory.Exists(s.StagingDir)) return "";
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(s.StagingDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            text.Append(Path.GetRelativePath(s.StagingDir, file)).Append(' ').AppendLine(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
        return text.ToString();
    }

    /// <summary>The DuckDB file's SHA-256 ("" when absent); null for a server target.</summary>
    private static string? WarehouseFileHash(TargetUnderTest target)
    {
        var at = target.Arguments.ToList().IndexOf("--connection");
        if (!target.Arguments.Contains("duckdb") || at < 0) return null;
        var path = target.Arguments[at + 1];
        return File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : "";
    }

    /// <summary>The dry run's per-file lines: key → action.</summary>
    private static Dictionary<string, string> PlannedFiles(string stdout) =>
        Regex.Matches(stdout, @"^(new|changed|re-read|in-package|skipped)\s+(song|log)\s+[\d,]+\s+(\S+)$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[3].Value, m => m.Groups[1].Value, StringComparer.Ordinal);

    private static long Number(string stdout, string pattern) =>
        long.Parse(Regex.Match(stdout, pattern).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_dry_run_changes_nothing_and_the_run_after_it_does_what_it_said()
    {
        using var s = new Scenario();
        GenerateInto(s, seed: 47, days: 4);
        var target = await NewTargetAsync();
        var reportFile = Path.Combine(s.Root, "report.json");

        // An empty warehouse: every file is new; no table, no DuckDB file, no staging folder is made.
        var first = await RunToEndAsync(s, target, "run", "--dry-run");
        Assert.True(first.ExitCode == 0, first.Describe());
        var planned = PlannedFiles(first.Stdout);
        var inputs = Directory.EnumerateFiles(s.Root, "*.json", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(s.StagingDir, StringComparison.Ordinal)).ToList();
        Assert.Equal(inputs.Count, planned.Count);
        Assert.All(planned.Values, a => Assert.Equal("new", a));
        Assert.Matches(@"^warehouse: (no duckdb file at \S+ yet|postgres at .+ holds no sparkify tables yet): every file is new$",
            first.Stdout.Split('\n')[1]);
        Assert.Equal("", StagingFingerprint(s));
        if (WarehouseFileHash(target) is { } none)
        {
            Assert.Equal("", none);   // no DuckDB file
        }
        else
        {
            await using var empty = await target.OpenAsync();
            Assert.False(await empty.HasLedgerAsync(CancellationToken.None), "the dry run created the warehouse's tables");
        }

        var load = await RunToEndAsync(s, target, "run", "--batch", "--report", reportFile);
        Assert.True(load.ExitCode == 0, load.Describe());
        Assert.Equal(planned.Count, RunReport.Parse(File.ReadAllBytes(reportFile)).Files.Loaded);

        // A new day and a rewritten one: the dry run names exactly those two; nothing changes, byte for byte.
        var days = Directory.EnumerateFiles(s.LogDir, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var changed = days[1];
        var line = Scenario.Event("2018-11-02T23:59:00Z", 7, itemInSession: 99, sessionId: 4242);
        File.AppendAllText(changed, File.ReadAllText(changed).EndsWith('\n') ? line + "\n" : "\n" + line);
        s.Touch(changed);
        var added = s.Log("2018-12-30", Scenario.Event("2018-12-30T10:00:00Z", 7, itemInSession: 1, sessionId: 4343)).LogPath("2018-12-30");
        var (state, staging, file) = (await StateAsync(target), StagingFingerprint(s), WarehouseFileHash(target));

        var dry = await RunToEndAsync(s, target, "run", "--dry-run", "--keep-runs", "0");
        Assert.True(dry.ExitCode == 0, dry.Describe());
        var second = PlannedFiles(dry.Stdout);
        string Key(string path) => Path.GetRelativePath(s.Root, path).Replace(Path.DirectorySeparatorChar, '/');
        Assert.Equal([Key(changed), Key(added)], second.Where(p => p.Value != "skipped").Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(("changed", "new"), (second[Key(changed)], second[Key(added)]));
        Assert.Equal(inputs.Count - 1, second.Values.Count(a => a == "skipped"));
        Assert.Contains($"{new FileInfo(changed).Length:N0}  {Key(changed)}", dry.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"staging: the folders of 1 earlier runs would be deleted \(--keep-runs 0\): \d{8}T", dry.Stdout);
        // --dry-run json: the same plan for scripts, every listed file with its action and size.
        var json = await RunToEndAsync(s, target, "run", "--dry-run", "json", "--keep-runs", "0");
        Assert.True(json.ExitCode == 0, json.Describe());
        using (var plan = System.Text.Json.JsonDocument.Parse(json.Stdout))
        {
            var files = plan.RootElement.GetProperty("files").EnumerateArray().ToList();
            Assert.Equal(second, files.ToDictionary(f => f.GetProperty("key").GetString()!, f => f.GetProperty("action").GetString()!));
            Assert.Equal(new FileInfo(changed).Length, files.Single(f => f.GetProperty("key").GetString() == Key(changed)).GetProperty("size").GetInt64());
            Assert.Equal(("load", true, 1), (plan.RootElement.GetProperty("mode").GetString(),
                plan.RootElement.GetProperty("warehouse_exists").GetBoolean(), plan.RootElement.GetProperty("prune").GetArrayLength()));
        }
        TableAssert.Equal(state, await StateAsync(target), "the dry run changed the warehouse");
        Assert.Equal(staging, StagingFingerprint(s));
        Assert.Equal(file, WarehouseFileHash(target));

        // backfill --replace --dry-run: the songplays it names are those the real one deletes.
        var range = new[] { "--from", "2018-11-02", "--to", "2018-11-03" };
        var replaceDry = await RunToEndAsync(s, target, ["backfill", .. range, "--replace", "--dry-run"]);
        Assert.True(replaceDry.ExitCode == 0, replaceDry.Describe());
        Assert.Equal(staging, StagingFingerprint(s));
        Assert.Equal(file, WarehouseFileHash(target));
        var songplays = Number(replaceDry.Stdout, @"--replace would delete: songplays ([\d,]+) of");
        var timeAtMost = Number(replaceDry.Stdout, @"time at most ([\d,]+) of");
        Assert.True(songplays > 0, replaceDry.Stdout);
        var replace = await RunToEndAsync(s, target, ["backfill", .. range, "--replace", "--report", reportFile]);
        Assert.True(replace.ExitCode == 0, replace.Describe());
        var replaced = RunReport.Parse(File.ReadAllBytes(reportFile));
        Assert.Equal(songplays, replaced.Rows["songplays"].Deleted);
        Assert.InRange(replaced.Rows["time"].Deleted, 0, timeAtMost);

        // The plain run then reads the two files the first dry run named (the rewritten day was re-read by the backfill).
        var rest = await RunToEndAsync(s, target, "run", "--batch", "--report", reportFile);
        Assert.True(rest.ExitCode == 0, rest.Describe());
        Assert.Equal(1, RunReport.Parse(File.ReadAllBytes(reportFile)).Files.Loaded);
    }

    [Fact]
    public async Task A_dry_run_names_the_waiting_package_a_run_would_load_and_leaves_it_waiting()
    {
        using var s = new Scenario();
        GenerateInto(s, seed: 48, days: 2);
        var target = await NewTargetAsync();
        var staged = await RunToEndAsync(s, target, "stage");
        Assert.True(staged.ExitCode == 0, staged.Describe());
        var package = Assert.Single(await Packages(s).ListAsync(CancellationToken.None));
        var staging = StagingFingerprint(s);

        var dry = await RunToEndAsync(s, target, "run", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Describe());
        Assert.All(PlannedFiles(dry.Stdout).Values, a => Assert.Equal("in-package", a));
        Assert.Contains($"waiting packages it would load with its own files (1):\n  {package.RunId}  {package.Package.Files.Count:N0} files",
            dry.Stdout, StringComparison.Ordinal);
        var stageDry = await RunToEndAsync(s, target, "stage", "--dry-run");
        Assert.True(stageDry.ExitCode == 0, stageDry.Describe());
        Assert.Contains("dry run of staging (no load)", stageDry.Stdout, StringComparison.Ordinal);
        Assert.All(PlannedFiles(stageDry.Stdout).Values, a => Assert.Equal("in-package", a));
        Assert.Equal(staging, StagingFingerprint(s));

        var run = await RunToEndAsync(s, target, "run", "--batch");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal(Sparkify.Stream.Staging.PackageState.Loaded, (await Packages(s).ListAsync(CancellationToken.None)).Single().Status.State);
    }
}
