using System.Text.Json;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Generation;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>`sparkify stage`, `packages` and `load` in-process: what the loader's operator sees.</summary>
public sealed class PackageCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-packages-cli-").FullName;

    private string[] Where(params string[] more) =>
    [
        "--songs", Path.Combine(_dir, "data", "song_data"), "--logs", Path.Combine(_dir, "data", "log_data"),
        "--staging", Path.Combine(_dir, "staging"), "--connection", Path.Combine(_dir, "w.duckdb"), .. more,
    ];

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await SparkifyCli.RunAsync(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    private async Task<List<Dictionary<string, JsonElement>>> PackagesAsync()
    {
        var listed = await Run("packages", "--staging", Path.Combine(_dir, "staging"), "--format", "json");
        Assert.True(listed.Code == 0, listed.Err);
        return JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(listed.Out)!;
    }

    [Fact]
    public async Task Packages_lists_each_stage_with_its_state_shard_files_and_rows_and_load_moves_them_to_loaded()
    {
        DataGenerator.Generate(new GeneratorOptions(Path.Combine(_dir, "data")) { Songs = 40, Events = 900, Users = 12, Days = 3, Seed = 9 });
        Assert.Empty(await PackagesAsync());
        foreach (var shard in new[] { "1/2", "2/2" })
        {
            var stage = await Run(["stage", "--shard", shard, "-q", .. Where()]);
            Assert.True(stage.Code == 0, stage.Err);
        }

        var staged = await PackagesAsync();
        Assert.Equal(["1/2", "2/2"], staged.Select(p => p["shard"].GetString()).Order(StringComparer.Ordinal));
        Assert.All(staged, p => Assert.Equal("staged", p["state"].GetString()));
        Assert.Equal(43, staged.Sum(p => p["files"].GetInt64()));
        Assert.Equal(900, staged.Sum(p => p["events"].GetInt64()));
        Assert.Equal(40, staged.Sum(p => p["songs"].GetInt64()));
        var table = await Run("packages", "--staging", Path.Combine(_dir, "staging"));
        Assert.Contains("staged", table.Out, StringComparison.Ordinal);
        Assert.Contains(staged[0]["run_id"].GetString()!, table.Out, StringComparison.Ordinal);

        // A loader that lists other sources would find none of the stagers' files: refused before anything changes.
        Directory.CreateDirectory(Path.Combine(_dir, "other"));
        var elsewhere = await Run(["load", "--songs", Path.Combine(_dir, "other"), "--logs", Path.Combine(_dir, "data", "log_data"),
            "--staging", Path.Combine(_dir, "staging"), "--connection", Path.Combine(_dir, "w.duckdb")]);
        Assert.Equal(2, elsewhere.Code);
        Assert.Contains("was staged from", elsewhere.Err, StringComparison.Ordinal);
        Assert.Contains("give the load the stagers' --songs and --logs", elsewhere.Err, StringComparison.Ordinal);
        Assert.All(await PackagesAsync(), p => Assert.Equal("staged", p["state"].GetString()));

        var load = await Run(["load", .. Where()]);
        Assert.True(load.Code == 0, load.Err);
        Assert.Contains("load packages committed:", load.Out, StringComparison.Ordinal);
        Assert.Contains("43 loaded", load.Out, StringComparison.Ordinal);
        var loaded = await PackagesAsync();
        Assert.All(loaded, p => Assert.Equal("loaded", p["state"].GetString()));
        Assert.Single(loaded.Select(p => p["by_run"].GetString()).Distinct());

        var named = await Run(["load", "--package", staged[0]["run_id"].GetString()!, .. Where()]);
        Assert.Equal(2, named.Code);
        Assert.Contains("is loaded: only staged, loading or failed packages are loaded", named.Err, StringComparison.Ordinal);
        var unknown = await Run(["load", "--package", "20990101T000000.000Z-00000000", .. Where()]);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("no load package 20990101T000000.000Z-00000000", unknown.Err, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
