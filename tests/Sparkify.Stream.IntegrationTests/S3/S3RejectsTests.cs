using Amazon.S3.Model;
using Sparkify.Stream.Generation;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Records;
using Sparkify.Stream.Tests.Rejects;

namespace Sparkify.Stream.IntegrationTests.S3;

/// <summary>
/// `sparkify rejects latest` with the staging area on a real S3 API (moto): the rejects.csv and report.json of the
/// newest run are read from the bucket; every reason's count is report.json's, and formula-leading raw lines come
/// back exactly.
/// </summary>
public sealed class S3RejectsTests(S3Fixture s3) : IClassFixture<S3Fixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-s3-rejects-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Rejects_latest_from_s3_staging_counts_every_reason_and_prints_raw_lines_exactly()
    {
        var data = Path.Combine(_dir, "data");
        var made = DataGenerator.Generate(new GeneratorOptions(data) { Songs = 60, Events = 900, Users = 15, Days = 3, Seed = 13, BadLines = 2 });
        RejectsCheck.AppendTo(Directory.EnumerateFiles(Path.Combine(data, "log_data"), "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).First());
        var bucket = await s3.CreateBucketAsync();
        var config = Path.Combine(_dir, "dwh.cfg");
        await File.WriteAllTextAsync(config, $"[S3]\nENDPOINT = {s3.Endpoint}\nREGION = {S3Fixture.Region}\n");
        string[] staging = ["--config", config, "--staging", $"s3://{bucket}/staging"];

        string[] run = ["run", "--batch", "-q", "--max-rejects", "100%", "--songs", Path.Combine(data, "song_data"),
            "--logs", Path.Combine(data, "log_data"), "--connection", Path.Combine(_dir, "w.duckdb"), .. staging];
        var loaded = await RejectsCheck.RunAsync(run);
        Assert.True(loaded.Code == 0, loaded.Err);
        var runs = await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "staging/runs/", Delimiter = "/" });
        var runId = Assert.Single(runs.CommonPrefixes)["staging/runs/".Length..].TrimEnd('/');
        using var stored = await s3.Client.GetObjectAsync(bucket, $"staging/runs/{runId}/report.json");
        using var body = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(body);
        var report = RunReport.Parse(body.ToArray());

        var json = await RejectsCheck.RunAsync(["rejects", "latest", "--format", "json", .. staging]);
        Assert.True(json.Code == 0, json.Err);
        RejectsCheck.MatchesReport(json.Out, report);
        var expected = new Dictionary<string, long>(made.BadRecords!);
        expected[RejectReason.MalformedJson] += RejectsCheck.FormulaLines.Length;
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal),
            RejectsCheck.CountsByReason(json.Out).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(json.Out, (await RejectsCheck.RunAsync(["rejects", runId, "--format", "json", .. staging])).Out);

        var all = await RejectsCheck.RunAsync(["rejects", "latest", "--all", "--format", "json", .. staging]);
        Assert.True(all.Code == 0, all.Err);
        var raws = RejectsCheck.Raws(all.Out);
        Assert.Equal(report.Records.Rejected, raws.Count);
        foreach (var line in RejectsCheck.FormulaLines) Assert.Contains(line, raws);
    }
}
