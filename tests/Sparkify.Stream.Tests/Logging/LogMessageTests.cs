using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Sparkify.Stream.Tests.Records;

namespace Sparkify.Stream.Tests.Logging;

/// <summary>
/// Every log line is a <c>[LoggerMessage]</c> method (CA1848, a build error under TreatWarningsAsErrors, holds the
/// code to that); these tests hold the event ids unique and the analyzer switched on.
/// </summary>
public sealed class LogMessageTests
{
    private static readonly (MethodInfo Method, LoggerMessageAttribute Message)[] Messages =
    [
        .. from type in typeof(SparkifyException).Assembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
           let message = method.GetCustomAttribute<LoggerMessageAttribute>()
           where message is not null
           select (method, message),
    ];

    [Fact]
    public void Every_log_message_has_its_own_event_id()
    {
        Assert.NotEmpty(Messages);
        Assert.All(Messages, m => Assert.True(m.Message.EventId > 0, $"{Name(m.Method)} has no event id"));
        var shared = Messages.GroupBy(m => m.Message.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => Name(m.Method)))}");
        Assert.Empty(shared);
    }

    [Fact]
    public void Each_log_class_keeps_to_its_own_thousand_of_event_ids()
    {
        var thousands = Messages.GroupBy(m => m.Method.DeclaringType!)
            .ToDictionary(g => g.Key.Name, g => g.Select(m => m.Message.EventId / 1000).Distinct().ToArray());
        Assert.All(thousands, t => Assert.True(t.Value.Length == 1, $"{t.Key} spans the thousands {string.Join(", ", t.Value)}"));
        Assert.Equal(thousands.Count, thousands.Values.Select(v => v[0]).Distinct().Count());
    }

    [Fact]
    public void CA1848_is_on_and_suppressed_nowhere()
    {
        var root = Path.GetDirectoryName(ValidationRulesTests.RepoFile("Sparkify.Stream.sln"))!;
        Assert.Matches(new Regex(@"^dotnet_diagnostic\.CA1848\.severity\s*=\s*(warning|error)\s*$", RegexOptions.Multiline),
            File.ReadAllText(Path.Combine(root, ".editorconfig")));
        var offending = SourceFiles(root)
            .Where(f => Suppresses(Path.GetExtension(f), () => File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(root, f));
        Assert.Empty(offending);
    }

    /// <summary>Whether a file turns CA1848 off: a lower severity, NoWarn or WarningsNotAsErrors, a pragma or attribute.</summary>
    private static bool Suppresses(string extension, Func<string> text) => extension switch
    {
        ".editorconfig" or ".globalconfig" =>
            Regex.IsMatch(text(), @"CA1848\.severity\s*=\s*(none|silent|suggestion|default)", RegexOptions.IgnoreCase),
        ".props" or ".targets" or ".csproj" => text().Contains("CA1848", StringComparison.OrdinalIgnoreCase),
        ".cs" => Regex.IsMatch(text(), @"#pragma\s+warning\s+disable[^\r\n]*CA1848|SuppressMessage\([^)]*CA1848"),
        _ => false,
    };

    private static IEnumerable<string> SourceFiles(string dir)
    {
        foreach (var file in Directory.EnumerateFiles(dir)) yield return file;
        foreach (var sub in Directory.EnumerateDirectories(dir))
        {
            if (Path.GetFileName(sub) is "bin" or "obj" or ".git" or "BenchmarkDotNet.Artifacts") continue;
            foreach (var file in SourceFiles(sub)) yield return file;
        }
    }

    private static string Name(MethodInfo method) => $"{method.DeclaringType!.Name}.{method.Name}";
}
