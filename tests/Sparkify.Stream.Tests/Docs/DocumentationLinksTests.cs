using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Sparkify.Stream.Tests.Records;

namespace Sparkify.Stream.Tests.Docs;

/// <summary>
/// The documentation a reader clones can be followed: every relative link in README.md, docs/ and bench/RESULTS.md
/// names a file or folder of the repository (and, into a Markdown file, a heading that exists, by GitHub's anchor
/// rules), and no file points at the semantics contract that lived outside the repository.
/// </summary>
public sealed partial class DocumentationLinksTests
{
    /// <summary>The Markdown files whose links are checked, relative to the repository root.</summary>
    private static IEnumerable<string> MarkdownFiles(string root) =>
        new[] { "README.md", Path.Combine("bench", "RESULTS.md") }
            .Where(f => File.Exists(Path.Combine(root, f)))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f)))
            .Order(StringComparer.Ordinal);

    [Fact]
    public void Every_relative_link_in_the_documentation_resolves()
    {
        var root = Root();
        var broken = MarkdownFiles(root).SelectMany(file => BrokenLinks(root, file)).ToList();
        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    /// <summary>Comments, SQL and scripts point into docs/ as "docs/semantics.md#songplays": each such pointer resolves.</summary>
    [Fact]
    public void Every_pointer_from_the_code_into_the_documentation_resolves()
    {
        var root = Root();
        var broken = new[] { "src", "tests", "scripts", "bench" }
            .SelectMany(d => TextFiles(Path.Combine(root, d)))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .SelectMany(l => DocsPointer().Matches(l.Text).Select(m => (l.File, l.Line, Target: m.Value)))
            .Select(p => (p.File, p.Line, p.Target, Problem: Problem(root, "README.md", p.Target)))
            .Where(p => p.Problem is not null)
            .Select(p => $"{Path.GetRelativePath(root, p.File)}:{p.Line}: {p.Target} ({p.Problem})")
            .ToList();
        Assert.True(broken.Count == 0, "broken pointers into docs/:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_documentation_has_the_pages_the_readme_promises()
    {
        var root = Root();
        Assert.True(File.ReadAllLines(Path.Combine(root, "README.md")).Length <= 250, "README.md is over 250 lines");
        foreach (var page in new[] { "semantics.md", "performance.md", "reference", "production", "decisions" })
            Assert.True(Path.Exists(Path.Combine(root, "docs", page)), $"docs/{page} is missing");
    }

    /// <summary>
    /// No file of README, docs, src, tests or scripts cites the contract file or the folder beside the repository
    /// (bench/ may use that folder's peer baselines, and says so). The words are put together here so that this file
    /// does not name them itself.
    /// </summary>
    [Fact]
    public void No_file_points_outside_the_repository()
    {
        var root = Root();
        // The contract's name in capitals, or its file name in any case.
        var contract = new Regex(@"\b" + "S" + @"PEC\b|(?i:\b" + "s" + @"pec\.md)");
        var outside = "../" + "shared";
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(new[] { "docs", "src", "tests", "scripts" }.SelectMany(d => TextFiles(Path.Combine(root, d))));
        var offending = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => contract.IsMatch(l.Text) || l.Text.Contains(outside, StringComparison.Ordinal))
            .Select(l => $"{Path.GetRelativePath(root, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offending.Count == 0, "citations of a file outside the repository:\n" + string.Join("\n", offending));
    }

    [Theory]
    [InlineData("Data flow", "data-flow")]
    [InlineData("staging_events", "staging_events")]
    [InlineData("Ctrl+C during a run", "ctrlc-during-a-run")]
    [InlineData("report.json", "reportjson")]
    [InlineData("Scaling out: `sparkify stage` on many machines, `sparkify load` once", "scaling-out-sparkify-stage-on-many-machines-sparkify-load-once")]
    [InlineData("End to end, against the peer tools (2026-12-04, `463750b`)", "end-to-end-against-the-peer-tools-2026-12-04-463750b")]
    [InlineData("1. `ts` is staged as epoch milliseconds in a BIGINT", "1-ts-is-staged-as-epoch-milliseconds-in-a-bigint")]
    [InlineData("Set-up **now** — [AWS](https://aws.amazon.com)", "set-up-now--aws")]
    public void Anchors_follow_GitHubs_rules(string heading, string anchor) => Assert.Equal(anchor, Slug(heading));

    [Fact]
    public void Repeated_headings_get_numbered_anchors() =>
        Assert.Equal(["notes", "notes-1", "notes-2", "other"], Anchors(["# Notes", "## Notes", "```", "# not a heading", "```", "### Notes", "## Other"]));

    /// <summary>Each link of <paramref name="file"/> that does not resolve, as "file:line: target (why)".</summary>
    private static IEnumerable<string> BrokenLinks(string root, string file)
    {
        var lines = File.ReadAllLines(Path.Combine(root, file));
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
            if (inFence) continue;
            var text = InlineCode().Replace(lines[i], "");
            foreach (var target in InlineLink().Matches(text).Select(m => m.Groups["target"].Value)
                         .Concat(ReferenceLink().Matches(text).Select(m => m.Groups["target"].Value)))
            {
                if (Problem(root, file, target) is { } problem) yield return $"{file}:{i + 1}: {target} ({problem})";
            }
        }
    }

    /// <summary>Why <paramref name="target"/>, a link in <paramref name="file"/>, does not resolve; null when it does.</summary>
    private static string? Problem(string root, string file, string target)
    {
        if (Scheme().IsMatch(target)) return null;                   // https:, mailto: …: not this test's business
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
        var anchor = hash < 0 ? null : Uri.UnescapeDataString(target[(hash + 1)..]);
        var full = path.Length == 0
            ? Path.Combine(root, file)
            : Path.GetFullPath(Path.Combine(root, Path.GetDirectoryName(file)!, path));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return "outside the repository";
        if (!Path.Exists(full)) return "no such file";
        if (anchor is null || !full.EndsWith(".md", StringComparison.OrdinalIgnoreCase)) return null;
        return Anchors(File.ReadAllLines(full)).Contains(anchor) ? null : $"no heading with the anchor #{anchor}";
    }

    /// <summary>The anchors GitHub gives the headings of a Markdown file, in order (repeats numbered -1, -2, …).</summary>
    internal static List<string> Anchors(IEnumerable<string> lines)
    {
        var anchors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
            if (inFence || Heading().Match(line) is not { Success: true } m) continue;
            var slug = Slug(m.Groups["text"].Value);
            var n = seen.GetValueOrDefault(slug);
            seen[slug] = n + 1;
            anchors.Add(n == 0 ? slug : $"{slug}-{n.ToString(CultureInfo.InvariantCulture)}");
        }
        return anchors;
    }

    /// <summary>
    /// GitHub's anchor for a heading: its rendered text (code spans' content, link texts, no emphasis marks) in lower
    /// case, every character that is not a letter, digit, space, hyphen or underscore dropped, each space a hyphen.
    /// </summary>
    internal static string Slug(string heading)
    {
        var text = InlineLinkWithText().Replace(heading.Trim(), "${text}").Replace("`", "", StringComparison.Ordinal)
            .Replace("*", "", StringComparison.Ordinal);
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_') slug.Append(c);
            else if (c == ' ') slug.Append('-');
        }
        return slug.ToString();
    }

    private static IEnumerable<string> TextFiles(string dir)
    {
        if (!Directory.Exists(dir)) yield break;
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            if (Path.GetExtension(file) is ".md" or ".cs" or ".sql" or ".sh" or ".py" or ".csproj" or ".props" or ".json" or ".cfg" or "")
                yield return file;
        }
        foreach (var sub in Directory.EnumerateDirectories(dir))
        {
            if (Path.GetFileName(sub) is "bin" or "obj" or ".git" or "TestResults") continue;
            foreach (var file in TextFiles(sub)) yield return file;
        }
    }

    private static string Root() => Path.GetDirectoryName(ValidationRulesTests.RepoFile("README.md"))!;

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    /// <summary>An inline link or image, <c>[text](target)</c> or <c>[text](target "title")</c>.</summary>
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex InlineLinkWithText();

    /// <summary>A reference definition, <c>[label]: target</c>, at the start of a line.</summary>
    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s+(?<target>\S+)")]
    private static partial Regex ReferenceLink();

    /// <summary>A path into docs/ as the code writes it: <c>docs/semantics.md</c>, <c>docs/semantics.md#runs</c>.</summary>
    [GeneratedRegex(@"(?<![\w/.])docs/[\w./-]+\.md(#[\w-]+)?")]
    private static partial Regex DocsPointer();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();
}
