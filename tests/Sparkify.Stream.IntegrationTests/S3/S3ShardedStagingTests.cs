using Amazon.S3.Model;
using Sparkify.Stream.Generation;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.IntegrationTests.Postgres;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Tests.Runs;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.S3;

/// <summary>
/// Staging on many workers against a real S3 API (moto): three `sparkify stage --shard I/3` processes read the sources
/// from S3 and write their packages to S3 at the same time, one `sparkify load` commits them (a combined manifest per
/// staging table), and the star schema equals one `sparkify run` of the same input — into DuckDB and into Postgres.
/// </summary>
public sealed class S3ShardedStagingTests(S3Fixture s3, PostgresFixture postgres)
    : IClassFixture<S3Fixture>, IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-s3-shards-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?> target)
    {
        var environment = new Dictionary<string, string?>(target);
        if (TestEnvironment.Get("AWS_ACCESS_KEY_ID") is null)
        {
            environment["AWS_ACCESS_KEY_ID"] = "sparkify-test";
            environment["AWS_SECRET_ACCESS_KEY"] = "sparkify-test-secret-key";
        }
        return environment;
    }

    public static TheoryData<string> Targets => new() { "duckdb", "postgres" };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Three_concurrent_stagers_to_s3_and_one_load_equal_one_run(string targetName)
    {
        var data = Path.Combine(_dir, "data");
        DataGenerator.Generate(new GeneratorOptions(data) { Songs = 150, Events = 8000, Users = 40, Days = 6, Seed = 41 });
        var bucket = await s3.CreateBucketAsync();
        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
        {
            var key = "raw/" + Path.GetRelativePath(data, file).Replace('\\', '/');
            await s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, FilePath = file });
        }
        var config = Path.Combine(_dir, "dwh.cfg");
        await File.WriteAllTextAsync(config, $"[S3]\nENDPOINT = {s3.Endpoint}\nREGION = {S3Fixture.Region}\n");
        string[] Sources(string staging) =>
        [
            "--config", config, "--songs", $"s3://{bucket}/raw/song_data", "--logs", $"s3://{bucket}/raw/log_data",
            "--staging", $"s3://{bucket}/{staging}",
        ];

        var (sharded, shardedEnv, openSharded) = await NewTargetAsync(targetName, "sharded");
        var stagers = Enumerable.Range(1, 3).Select(i => SparkifyProcess.Start(
            ["stage", "--shard", $"{i}/3", "--parallelism", "1", .. Sources("staging"), .. sharded], _dir, Environment(shardedEnv))).ToList();
        foreach (var stager in stagers)
        {
            Assert.True(await stager.WaitForExitAsync(120) == 0, stager.Describe());
            stager.Dispose();
        }
        var packages = await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "staging/runs/" });
        Assert.Equal(3, packages.S3Objects.Count(o => o.Key.EndsWith("/package.json", StringComparison.Ordinal)));

        var load = await SparkifyProcess.RunAsync(["load", "--report", Path.Combine(_dir, $"{targetName}-load.json"),
            .. Sources("staging"), .. sharded], _dir, Environment(shardedEnv));
        Assert.True(load.ExitCode == 0, load.Describe());
        Assert.Contains("loading 3 staged package(s) in 1 layer(s)", load.Stderr, StringComparison.Ordinal);
        var report = RunReport.Parse(await File.ReadAllBytesAsync(Path.Combine(_dir, $"{targetName}-load.json")));
        Assert.Equal((156, 8000L + 150), (report.Files.Loaded, report.Records.Read));
        // One COPY per staging table (events, songs, files, field counts) over the three packages' parts: a combined manifest, stored in S3 for COPY.
        var combined = await s3.Client.ListObjectsV2Async(new ListObjectsV2Request
        {
            BucketName = bucket, Prefix = $"staging/runs/{report.RunId}/layer-0/",
        });
        Assert.Equal(4, combined.S3Objects.Count(o => o.Key.EndsWith(".manifest", StringComparison.Ordinal)));

        var (single, singleEnv, openSingle) = await NewTargetAsync(targetName, "single");
        var run = await SparkifyProcess.RunAsync(["run", "--batch", .. Sources("staging-single"), .. single], _dir, Environment(singleEnv));
        Assert.True(run.ExitCode == 0, run.Describe());

        TableAssert.Equal(await StateAsync(openSingle), await StateAsync(openSharded),
            $"{targetName}: 3 shards staged to S3 at once + one load vs one run");
    }

    private async Task<(string[] Arguments, IReadOnlyDictionary<string, string?> Environment, Func<Task<IWarehouse>> Open)>
        NewTargetAsync(string target, string name)
    {
        if (target == "duckdb")
        {
            var path = Path.Combine(_dir, $"{name}.duckdb");
            return (["--target", "duckdb", "--connection", path], new Dictionary<string, string?>(),
                async () => await DuckDbWarehouse.OpenAsync(path, CancellationToken.None));
        }
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        return (["--target", "postgres"], new Dictionary<string, string?> { ["SPARKIFY_WAREHOUSE__CONNECTION"] = connection },
            async () => await PostgresWarehouse.OpenAsync(connection, CancellationToken.None));
    }

    /// <summary>Every table, the ledger without its run id and load time (which differ between two loads by nature).</summary>
    private static async Task<Dictionary<string, List<string>>> StateAsync(Func<Task<IWarehouse>> open)
    {
        await using var warehouse = await open();
        var state = await TableAssert.DumpStateAsync(warehouse);
        state["sparkify_load_ledger"] = [.. state["sparkify_load_ledger"].Select(r => string.Join("|", r.Split('|')[..8]))];
        Assert.True(state["songplays"].Count > 1000);
        return state;
    }
}
