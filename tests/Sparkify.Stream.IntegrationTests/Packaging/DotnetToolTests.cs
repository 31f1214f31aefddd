using System.Diagnostics;

namespace Sparkify.Stream.IntegrationTests.Packaging;

/// <summary>`dotnet pack` makes a .NET tool that installs from the local package and runs as `sparkify`.</summary>
public sealed class DotnetToolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-tool-").FullName;

    [Fact]
    public async Task The_packed_tool_installs_into_a_tool_path_and_prints_help()
    {
        var project = Path.Combine(RepoRoot(), "src", "Sparkify.Stream", "Sparkify.Stream.csproj");
        var packages = Path.Combine(_dir, "packages");
        var tools = Path.Combine(_dir, "tools");

        var pack = await RunAsync("dotnet", "pack", project, "-c", "Release", "-o", packages, "-p:PackageVersion=0.0.0-test");
        Assert.True(pack.Code == 0, pack.Output);
        Assert.Single(Directory.GetFiles(packages, "Sparkify.Stream.0.0.0-test.nupkg"));

        var install = await RunAsync("dotnet", "tool", "install", "Sparkify.Stream", "--tool-path", tools,
            "--add-source", packages, "--version", "0.0.0-test");
        Assert.True(install.Code == 0, install.Output);

        var help = await RunAsync(Path.Combine(tools, "sparkify"), "--help");
        Assert.True(help.Code == 0, help.Output);
        Assert.Contains("backfill", help.Output, StringComparison.Ordinal);
        Assert.Contains("Example:", help.Output, StringComparison.Ordinal);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sparkify.Stream.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above the test assembly");
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
