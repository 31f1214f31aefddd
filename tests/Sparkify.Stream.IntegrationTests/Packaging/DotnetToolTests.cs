using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sparkify.Stream.IntegrationTests.Packaging;

/// <summary>
/// `dotnet pack` makes a .NET tool that installs from the local packages, at a reasonable size, and runs as
/// `sparkify`: one small pointer package plus one package per platform, each with only its platform's DuckDB library.
/// </summary>
public sealed class DotnetToolTests : IDisposable
{
    /// <summary>The bound on an install on linux-x64 (its libduckdb.so alone is ~70 MB); five platforms' libraries were 543 MB.</summary>
    private const long MaxInstalledBytes = 150_000_000;

    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-tool-").FullName;

    [Fact]
    public async Task The_packed_tool_installs_only_its_platforms_native_library_and_loads_the_sample()
    {
        var root = RepoRoot();
        var project = Path.Combine(root, "src", "Sparkify.Stream", "Sparkify.Stream.csproj");
        var packages = Path.Combine(_dir, "packages");
        var tools = Path.Combine(_dir, "tools");
        var rid = RuntimeInformation.RuntimeIdentifier;

        // The project packs a tool package for each platform DuckDB ships a library for...
        var rids = await RunAsync(_dir, "dotnet", "msbuild", project, "-getProperty:RuntimeIdentifiers");
        Assert.True(rids.Code == 0, rids.Output);
        Assert.Equal(["linux-arm64", "linux-x64", "osx-arm64", "osx-x64", "win-arm64", "win-x64"],
            rids.Output.Trim().Split(';').Order(StringComparer.Ordinal));
        // ...and this test packs this platform's only (README: how to pack one): six are six publishes, too slow here.
        var pack = await RunAsync(_dir, "dotnet", "pack", project, "-c", "Release", "-o", packages, "-p:PackageVersion=0.0.0-test",
            $"-p:RuntimeIdentifiers={rid}");
        Assert.True(pack.Code == 0, pack.Output);
        // The pointer package holds no binaries: the tool's files are in the package of each platform.
        var pointer = Assert.Single(Directory.GetFiles(packages, "Sparkify.Stream.0.0.0-test.nupkg"));
        Assert.True(new FileInfo(pointer).Length < 100_000, $"pointer package: {new FileInfo(pointer).Length:N0} bytes");
        Assert.Single(Directory.GetFiles(packages, $"Sparkify.Stream.{rid}.0.0.0-test.nupkg"));

        var install = await RunAsync(_dir, "dotnet", "tool", "install", "Sparkify.Stream", "--tool-path", tools,
            "--add-source", packages, "--version", "0.0.0-test");
        Assert.True(install.Code == 0, install.Output);
        var installed = Directory.EnumerateFiles(tools, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(installed <= MaxInstalledBytes, $"the installed tool takes {installed:N0} bytes (at most {MaxInstalledBytes:N0})");
        var duckDbLibraries = Directory.EnumerateFiles(tools, "*duckdb*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".so", StringComparison.Ordinal) || f.EndsWith(".dylib", StringComparison.Ordinal)
                        || f.EndsWith(".dll", StringComparison.Ordinal) && Path.GetFileName(f) == "duckdb.dll")
            .ToList();
        Assert.True(duckDbLibraries.Count == 1, string.Join("\n", duckDbLibraries));

        var sparkify = Path.Combine(tools, "sparkify");
        var help = await RunAsync(_dir, sparkify, "--help");
        Assert.True(help.Code == 0, help.Output);
        Assert.Contains("backfill", help.Output, StringComparison.Ordinal);
        Assert.Contains("Example:", help.Output, StringComparison.Ordinal);

        // The installed tool runs end to end: the committed sample into a DuckDB warehouse (the native library loads).
        var warehouse = Path.Combine(_dir, "warehouse.duckdb");
        var run = await RunAsync(_dir, sparkify, "--batch", "--quiet", "--songs", Path.Combine(root, "data", "song_data"),
            "--logs", Path.Combine(root, "data", "log_data"), "--staging", Path.Combine(_dir, "staging"),
            "--connection", warehouse);
        Assert.True(run.Code == 0, run.Output);
        var check = await RunAsync(_dir, sparkify, "check", "--connection", warehouse);
        Assert.True(check.Code == 0, check.Output);
        Assert.DoesNotContain("FAIL", check.Output, StringComparison.Ordinal);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sparkify.Stream.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above the test assembly");
    }

    private static async Task<(int Code, string Output)> RunAsync(string workingDirectory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("SPARKIFY_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
