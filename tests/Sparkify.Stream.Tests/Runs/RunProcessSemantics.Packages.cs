using Sparkify.Stream.Cli;
using Sparkify.Stream.Generation;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Tests.Semantics;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>
/// Load packages at the process level, on every target: `sparkify stage --shard I/N` on N processes at once and one
/// `sparkify load` equal one `sparkify run`; a killed run's package is loaded by the next run without reading its
/// files again; a package staged over a changed file is superseded; a file in two packages is loaded once.
/// </summary>
public abstract partial class RunProcessSemantics
{
    private static void GenerateInto(Scenario s, int seed, int days = 6) =>
        DataGenerator.Generate(new GeneratorOptions(s.Root) { Songs = 120, Events = 6000, Users = 40, Days = days, Seed = seed });

    private static PackageStore Packages(Scenario s) => new(new LocalStagingStore(s.StagingDir));

    /// <summary>The state of a fresh warehouse after one in-process run over every file: the oracle.</summary>
    private async Task<Dictionary<string, List<string>>> OneRunAsync(Scenario s)
    {
        await using var fresh = await (await NewTargetAsync()).OpenAsync();
        var report = await s.RunAsync(fresh);
        Assert.Equal(RunStatus.Succeeded, report.Status);
        return WithoutRunColumns(await TableAssert.DumpStateAsync(fresh));
    }

    private static Dictionary<string, List<string>> WithoutRunColumns(Dictionary<string, List<string>> state)
    {
        state["sparkify_load_ledger"] = [.. state["sparkify_load_ledger"].Select(LedgerFileColumns)];
        return state;
    }

    [Fact]
    public async Task Three_stagers_on_shards_at_once_and_one_load_equal_one_run_and_a_second_load_has_nothing_to_do()
    {
        using var s = new Scenario();
        GenerateInto(s, seed: 31);
        var target = await NewTargetAsync();
        // A first load of two days, so the stagers have a ledger to read (DuckDB: read-only, all three at once).
        var days = Directory.GetFiles(s.LogDir, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        // (The songs are away meanwhile, so the shards stage songs as well as days.)
        Directory.Move(s.SongDir, s.SongDir + ".away");
        Directory.CreateDirectory(s.SongDir);
        var first = await RunToEndAsync(s, target, "--batch", "--to", Path.GetFileName(days[1])[..10]);
        Assert.True(first.ExitCode == 0, first.Describe());
        Directory.Delete(s.SongDir);
        Directory.Move(s.SongDir + ".away", s.SongDir);
        var oracle = await OneRunAsync(s);   // staged and loaded in its own fresh warehouse: its package is "loaded"

        var stagers = Enumerable.Range(1, 3).Select(i => SparkifyProcess.Start(
            ["stage", "--shard", $"{i}/3", "--parallelism", "1", .. Sources(s), .. target.Arguments], s.Root, target.Environment)).ToList();
        foreach (var stager in stagers)
        {
            Assert.True(await stager.WaitForExitAsync(120) == 0, stager.Describe());
            stager.Dispose();
        }
        var staged = (await Packages(s).ListAsync(CancellationToken.None)).Where(p => p.Status.State == PackageState.Staged).ToList();
        Assert.Equal(["1/3", "2/3", "3/3"], staged.Select(p => p.Package.Shard).Order(StringComparer.Ordinal));
        // Between them the shards hold every file the ledger did not have, each exactly once.
        var held = staged.SelectMany(p => p.Package.Files.Select(f => f.Key)).ToList();
        Assert.Equal(held.Count, held.Distinct().Count());
        Assert.Equal(4 + 120, held.Count);
        Assert.All(staged, p => Assert.NotEmpty(p.Package.Files));

        var load = await RunToEndAsync(s, target, "load");
        Assert.True(load.ExitCode == 0, load.Describe());
        Assert.Contains("loading 3 staged package(s) in 1 layer(s)", load.Stderr, StringComparison.Ordinal);
        Assert.All(await Packages(s).ListAsync(CancellationToken.None), p => Assert.Equal(PackageState.Loaded, p.Status.State));
        TableAssert.Equal(oracle, WithoutRunColumns(await StateAsync(target)), "3 shards staged at once + one load vs one run");

        var again = await RunToEndAsync(s, target, "load");
        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.Contains("nothing to load", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_killed_after_staging_is_loaded_by_the_next_run_without_reading_a_source_file_again()
    {
        using var s = new Scenario();
        GenerateInto(s, seed: 32, days: 3);
        var target = await NewTargetAsync();
        var pause = new Dictionary<string, string?>(target.Environment)
        {
            [TestPause.PhaseVariable] = "load_staging/staging_events",
            [TestPause.SecondsVariable] = "120",
        };
        using (var child = SparkifyProcess.Start(["--batch", .. Sources(s), .. target.Arguments], s.Root, pause))
        {
            await child.WaitForStderrAsync("pausing at load_staging/staging_events", timeoutSeconds: 120);
            child.Signal(SparkifyProcess.SigKill);
            Assert.Equal(128 + SparkifyProcess.SigKill, await child.WaitForExitAsync());
        }
        var package = Assert.Single(await Packages(s).ListAsync(CancellationToken.None));
        Assert.Equal(PackageState.Loading, package.Status.State);

        // Every source file is overwritten with bytes that parse as nothing, keeping its size and modification time
        // (the local version): a run that read any of them again would reject its lines and load other rows.
        var originals = new Dictionary<string, (byte[] Bytes, DateTime Modified)>();
        foreach (var file in Directory.GetFiles(s.SongDir, "*", SearchOption.AllDirectories)
                     .Concat(Directory.GetFiles(s.LogDir, "*", SearchOption.AllDirectories)))
        {
            originals[file] = (File.ReadAllBytes(file), File.GetLastWriteTimeUtc(file));
            File.WriteAllBytes(file, Enumerable.Repeat((byte)'#', originals[file].Bytes.Length).ToArray());
            File.SetLastWriteTimeUtc(file, originals[file].Modified);
        }
        var report = Path.Combine(s.Root, "resume.json");
        var resumed = await RunToEndAsync(s, target, "--batch", "--report", report);
        Assert.True(resumed.ExitCode == 0, resumed.Describe());
        var resumedReport = RunReport.Parse(File.ReadAllBytes(report));
        Assert.Equal((0L, 0L, 0L), (resumedReport.Records.Read, resumedReport.Records.Rejected, resumedReport.BytesRead));
        Assert.Equal(123, resumedReport.Files.Loaded);
        Assert.Equal([package.RunId], resumedReport.Packages);
        Assert.Equal(PackageState.Loaded, (await Packages(s).ReadAsync(package.RunId, CancellationToken.None))!.Status.State);

        foreach (var (file, (bytes, modified)) in originals)
        {
            File.WriteAllBytes(file, bytes);
            File.SetLastWriteTimeUtc(file, modified);
        }
        var after = WithoutRunColumns(await StateAsync(target));
        TableAssert.Equal(await OneRunAsync(s), after, "the killed run's package loaded by the next run vs one run");
    }

    [Fact]
    public async Task A_package_whose_source_file_changed_before_it_was_loaded_is_superseded_and_the_file_staged_anew()
    {
        using var s = new Scenario();
        GenerateInto(s, seed: 33, days: 2);
        var target = await NewTargetAsync();
        var stage = await RunToEndAsync(s, target, "stage");
        Assert.True(stage.ExitCode == 0, stage.Describe());
        var package = Assert.Single(await Packages(s).ListAsync(CancellationToken.None));

        // One event more in the last day's file: a new version of it, which the package does not hold.
        var day = Directory.GetFiles(s.LogDir, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Last();
        var lines = File.ReadAllLines(day);
        File.AppendAllText(day, lines[0].Replace("\"itemInSession\":", "\"itemInSession\":1", StringComparison.Ordinal)
            .Replace("\"ts\":15", "\"ts\":16", StringComparison.Ordinal) + "\n");
        File.SetLastWriteTimeUtc(day, File.GetLastWriteTimeUtc(day).AddSeconds(5));

        var run = await RunToEndAsync(s, target, "--batch");
        Assert.True(run.ExitCode == 0, run.Describe());
        var now = await Packages(s).ReadAsync(package.RunId, CancellationToken.None);
        Assert.Equal(PackageState.Superseded, now!.Status.State);
        Assert.Contains("changed at the source since it was staged", now.Status.Error, StringComparison.Ordinal);
        Assert.Contains($"package {package.RunId} superseded", run.Stderr, StringComparison.Ordinal);
        TableAssert.Equal(await OneRunAsync(s), WithoutRunColumns(await StateAsync(target)),
            "after a superseded package, the run that staged its files anew vs one run");
    }

    [Fact]
    public async Task Files_staged_by_two_packages_are_loaded_once_and_the_result_equals_one_run()
    {
        using var s = new Scenario();
        GenerateInto(s, seed: 34, days: 5);
        var target = await NewTargetAsync();
        // Shards of two different N (a misconfiguration) overlap; --reload ignores the ledger and the other
        // packages, so the second stager takes files the first one holds too. A third stages what is left.
        foreach (var arguments in new[] { new[] { "--shard", "1/2", "--no-ledger" }, ["--shard", "1/3", "--reload"], [] })
        {
            var stage = await RunToEndAsync(s, target, ["stage", .. arguments]);
            Assert.True(stage.ExitCode == 0, stage.Describe());
        }
        var packages = await Packages(s).ListAsync(CancellationToken.None);
        Assert.Equal(3, packages.Count);
        var keys = packages.Select(p => p.Package.Files.Select(f => f.Key).ToHashSet()).ToList();
        Assert.True(keys[0].Overlaps(keys[1]) && !keys[0].IsSupersetOf(keys[1]) && !keys[1].IsSupersetOf(keys[0]));
        Assert.False(keys[2].Overlaps(keys[0]) || keys[2].Overlaps(keys[1]));

        var load = await RunToEndAsync(s, target, "load");
        Assert.True(load.ExitCode == 0, load.Describe());
        Assert.Contains("loading 3 staged package(s) in 2 layer(s)", load.Stderr, StringComparison.Ordinal);
        var after = WithoutRunColumns(await StateAsync(target));
        Assert.Equal(5 + 120, after["sparkify_load_ledger"].Count);
        TableAssert.Equal(await OneRunAsync(s), after, "three overlapping packages loaded together vs one run");
    }

    [Fact]
    public async Task A_watching_run_loads_packages_staged_by_others_on_its_next_poll()
    {
        using var s = new Scenario();
        GenerateInto(s, seed: 36, days: 2);
        var target = await NewTargetAsync();
        var oracle = await OneRunAsync(s);
        var stage = await RunToEndAsync(s, target, "stage", "--no-ledger");
        Assert.True(stage.ExitCode == 0, stage.Describe());
        var package = Assert.Single(await Packages(s).ListAsync(CancellationToken.None), p => p.Status.State == PackageState.Staged);

        using var watcher = SparkifyProcess.Start(["run", "--interval", "1", .. Sources(s), .. target.Arguments], s.Root, target.Environment);
        var report = await WaitForReportAsync(s, watcher, r => r.Packages?.Contains(package.RunId) == true);
        Assert.Equal((122, 0L), (report.Files.Loaded, report.Records.Read));
        watcher.Signal(SparkifyProcess.SigInt);
        Assert.Equal(0, await watcher.WaitForExitAsync());
        TableAssert.Equal(oracle, WithoutRunColumns(await StateAsync(target)), "a package loaded by a watcher vs one run");
    }

    [Fact]
    public async Task Load_with_nothing_staged_exits_0_and_bad_shards_exit_2_with_what_is_expected()
    {
        using var s = new Scenario();
        GenerateInto(s, seed: 35, days: 2);
        var target = await NewTargetAsync();
        var load = await RunToEndAsync(s, target, "load");
        Assert.True(load.ExitCode == 0, load.Describe());
        Assert.Contains("nothing to load", load.Stdout, StringComparison.Ordinal);

        foreach (var bad in new[] { "0/3", "4/3", "x/3" })
        {
            var stage = await RunToEndAsync(s, target, "stage", "--shard", bad);
            Assert.True(stage.ExitCode == 2, stage.Describe());
            Assert.Contains($"--shard '{bad}' is not valid: expected I/N (1 ≤ I ≤ N) or auto/N", stage.Stderr, StringComparison.Ordinal);
        }
        var onRun = await RunToEndAsync(s, target, "--batch", "--stage-only", "--no-ledger");
        Assert.True(onRun.ExitCode == 0, onRun.Describe());   // the alias stages too
        var notOnLoad = await SparkifyProcess.RunAsync(["run", "--batch", "--shard", "1/2", .. Sources(s), .. target.Arguments],
            s.Root, target.Environment);
        Assert.True(notOnLoad.ExitCode == 2, notOnLoad.Describe());

        // auto/N: the 0-based index of an AWS Batch array job (Kubernetes: the unit tests).
        var environment = new Dictionary<string, string?>(target.Environment) { ["AWS_BATCH_JOB_ARRAY_INDEX"] = "2" };
        var auto = await SparkifyProcess.RunAsync(["stage", "--shard", "auto/3", "--reload", .. Sources(s), .. target.Arguments],
            s.Root, environment);
        Assert.True(auto.ExitCode == 0, auto.Describe());
        Assert.Contains("3/3", (await Packages(s).ListAsync(CancellationToken.None)).Select(p => p.Package.Shard));
    }
}
