using System.Globalization;
using System.Text.Json;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Generation;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.S3;

/// <summary>
/// The production path against a real S3 API (moto): JSON read from S3, Parquet + manifests staged to S3,
/// loaded into DuckDB through the staging store — the star schema equals the local-folder run's.
/// </summary>
public sealed class S3EndToEndTests(S3Fixture s3) : IClassFixture<S3Fixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-s3-e2e-").FullName;

    [Fact]
    public async Task An_s3_run_gives_the_same_star_schema_as_the_local_run_and_stages_exact_manifests()
    {
        var data = Path.Combine(_dir, "data");
        DataGenerator.Generate(new GeneratorOptions(data) { Songs = 300, Events = 6000, Users = 50, Days = 4, Seed = 11 });
        GzipOneLogFile(data);
        var bucket = await s3.CreateBucketAsync();
        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
        {
            var key = "raw/" + Path.GetRelativePath(data, file).Replace('\\', '/');
            await s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, FilePath = file });
        }

        var local = await RunAsync(new LocalFolderSource(Path.Combine(data, "song_data")),
            new LocalFolderSource(Path.Combine(data, "log_data")), new LocalStagingStore(Path.Combine(_dir, "staging")), "local");
        var client = s3.CreateClient();
        var staging = new S3StagingStore(client, S3Uri.Parse($"s3://{bucket}/staging"));
        var remote = await RunAsync(new S3Source(client, S3Uri.Parse($"s3://{bucket}/raw/song_data")),
            new S3Source(client, S3Uri.Parse($"s3://{bucket}/raw/log_data")), staging, "s3");

        Assert.Equal(local.Tables, remote.Tables);
        Assert.True(local.Tables["songplays"].Count > 1000);
        Assert.Equal((local.Report.Records.Read, local.Report.Records.Valid, local.Report.Records.Rejected),
            (remote.Report.Records.Read, remote.Report.Records.Valid, remote.Report.Records.Rejected));
        Assert.Equal(304, remote.Report.Files.Loaded);

        // The staging bucket holds the parts and manifests, each listed once with its exact size.
        foreach (var table in new[] { "events", "songs", "files" })
        {
            var manifestKey = $"staging/runs/{remote.Report.RunId}/{table}.manifest";
            using var response = await client.GetObjectAsync(bucket, manifestKey);
            var manifest = CopyManifest.Parse(await ReadAsync(response.ResponseStream));
            Assert.NotEmpty(manifest.Entries);
            Assert.Equal(manifest.Entries.Count, manifest.Entries.Select(e => e.Url).Distinct().Count());
            foreach (var entry in manifest.Entries)
            {
                Assert.StartsWith($"s3://{bucket}/staging/runs/{remote.Report.RunId}/{table}/part-", entry.Url, StringComparison.Ordinal);
                var head = await client.GetObjectMetadataAsync(bucket, entry.Url[$"s3://{bucket}/".Length..]);
                Assert.Equal(head.ContentLength, entry.Meta.ContentLength);
            }
        }
        var report = await client.GetObjectAsync(bucket, $"staging/runs/{remote.Report.RunId}/report.json");
        Assert.Equal("succeeded", JsonDocument.Parse(await ReadAsync(report.ResponseStream)).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_run_under_injected_s3_faults_equals_the_fault_free_run()
    {
        var data = Path.Combine(_dir, "data");
        DataGenerator.Generate(new GeneratorOptions(data) { Songs = 60, Events = 3000, Users = 30, Days = 3, Seed = 5 });
        GzipOneLogFile(data);
        var bucket = await s3.CreateBucketAsync();
        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
            await s3.Client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = "raw/" + Path.GetRelativePath(data, file).Replace('\\', '/'),
                FilePath = file,
            });

        async Task<(RunReport Report, Dictionary<string, List<string>> Tables)> Run(string name, RecordingHttpClientFactory? http)
        {
            var client = http is null ? s3.CreateClient() : s3.CreateClient(http);
            return await RunAsync(new S3Source(client, S3Uri.Parse($"s3://{bucket}/raw/song_data")),
                new S3Source(client, S3Uri.Parse($"s3://{bucket}/raw/log_data")),
                new S3StagingStore(client, S3Uri.Parse($"s3://{bucket}/{name}")), name);
        }

        var clean = await Run("clean", null);
        // Every 4th request fails (500, 503 SlowDown, reset, 503); every 7th object body breaks off midway.
        InjectedFault[] requestFaults =
            [InjectedFault.InternalError500, InjectedFault.SlowDown503, InjectedFault.ConnectionReset, InjectedFault.ServiceUnavailable503];
        var faulty = new RecordingHttpClientFactory((n, request) =>
            n % 4 == 0 ? requestFaults[n / 4 % requestFaults.Length]
            : request.Method == HttpMethod.Get && !request.RequestUri!.Query.Contains("list-type", StringComparison.Ordinal) && n % 7 == 1
                ? InjectedFault.BodyResetMidway
                : null);
        var withFaults = await Run("faulty", faulty);

        Assert.True(faulty.FaultCount > 20, $"only {faulty.FaultCount} faults were injected");
        Assert.Equal(clean.Tables, withFaults.Tables);
        Assert.Equal(clean.Report.Records.Read, withFaults.Report.Records.Read);
        Assert.Equal(0, withFaults.Report.Records.Rejected);
    }

    private async Task<(RunReport Report, Dictionary<string, List<string>> Tables)> RunAsync(
        IObjectSource songs, IObjectSource logs, IStagingStore staging, string name)
    {
        await using var warehouse = await DuckDbWarehouse.OpenAsync(Path.Combine(_dir, name + ".duckdb"), CancellationToken.None);
        var options = new SparkifyOptions { Batch = true, Parallelism = 2 };
        var infrastructure = new Sparkify.Stream.Jobs.Infrastructure(songs, logs, staging, warehouse,
            new PipelineOptions(2, FetchParallelism: 16) { IsTransient = S3Faults.IsTransient });
        var report = await new RunJob(options, infrastructure, NullLogger.Instance).RunOnceAsync(CancellationToken.None);
        var tables = new Dictionary<string, List<string>>();
        foreach (var table in StarTables.All)
        {
            var rows = await warehouse.QueryAsync($"SELECT * FROM {SqlText.Identifier(table)}", CancellationToken.None);
            tables[table] = [.. rows.Rows.Select(r => string.Join("|", r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))))
                .Order(StringComparer.Ordinal)];
        }
        return (report, tables);
    }

    private static void GzipOneLogFile(string data)
    {
        var log = Directory.EnumerateFiles(Path.Combine(data, "log_data"), "*.json", SearchOption.AllDirectories).Order().First();
        using (var input = File.OpenRead(log))
        using (var output = new System.IO.Compression.GZipStream(File.Create(log + ".gz"), System.IO.Compression.CompressionLevel.Fastest))
            input.CopyTo(output);
        File.Delete(log);
    }

    private static async Task<byte[]> ReadAsync(System.IO.Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
