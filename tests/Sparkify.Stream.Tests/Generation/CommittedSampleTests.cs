using Sparkify.Stream.Generation;

namespace Sparkify.Stream.Tests.Generation;

/// <summary><c>data/</c> (the default input of <c>sparkify run</c>) is exactly what its README says made it.</summary>
public sealed class CommittedSampleTests(DefaultSampleFixture fixture) : IClassFixture<DefaultSampleFixture>
{
    [Fact]
    public void Committed_sample_is_what_generate_makes_with_the_default_options()
    {
        var committed = Path.Combine(RepositoryRoot(), "data");
        var generated = fixture.Data.RawFiles();
        var onDisk = Directory.EnumerateFiles(committed, "*.json", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(committed, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(generated.Keys, onDisk);
        foreach (var (path, bytes) in generated)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(committed, path))),
                $"data/{path} differs from the generator's output: regenerate with `sparkify generate --out data " +
                "--songs 200 --events 10000 --users 100 --days 3 --seed 42` (after deleting data/song_data and data/log_data)");
        }
    }

    [Fact]
    public void Default_options_are_the_ones_the_readme_names()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "data", "README.md"));
        var o = new GeneratorOptions("data");
        Assert.Contains(
            $"sparkify generate --out data --songs {o.Songs} --events {o.Events} --users {o.Users} --days {o.Days} --seed {o.Seed}",
            readme, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sparkify.Stream.sln"))) return dir.FullName;
        throw new InvalidOperationException("Sparkify.Stream.sln not found above " + AppContext.BaseDirectory);
    }
}
