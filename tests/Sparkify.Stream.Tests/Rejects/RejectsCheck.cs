using System.Text;
using System.Text.Json;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Jobs;

namespace Sparkify.Stream.Tests.Rejects;

/// <summary>
/// What the `sparkify rejects` tests share (local staging here, S3 staging in the integration tests): lines a
/// spreadsheet would run as formulas, and the check of the command's JSON against the run's report.json.
/// </summary>
internal static class RejectsCheck
{
    /// <summary>
    /// Log lines that no JSON parser takes for an event (each a malformed_json reject), starting with every
    /// formula character of OWASP's list, the escape character itself, a quote, and holding quotes, commas and a
    /// backslash-n. (A log file's lines end at LF; a CR before it is the line end, a CR elsewhere is kept.)
    /// </summary>
    public static readonly string[] FormulaLines =
    [
        "=1+2", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=tab", "\r=cr", "'=quoted", "''", "'",
        "\"=x\"", "=HYPERLINK(\"http://x\",\"y, z\")\\n", "-\"a\",\"b\"", "x=1",
    ];

    /// <summary>Runs the command line in-process: its exit code, stdout and stderr.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await SparkifyCli.RunAsync(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    /// <summary>Appends <see cref="FormulaLines"/> to a log file, each on a line of its own.</summary>
    public static void AppendTo(string logFile) =>
        File.AppendAllText(logFile, "\n" + string.Join("\n", FormulaLines) + "\n", new UTF8Encoding(false));

    /// <summary>The rows of a `--format json` output.</summary>
    public static List<Dictionary<string, JsonElement>> Rows(string json) =>
        JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(json)!;

    /// <summary>The groups' counts summed by reason.</summary>
    public static Dictionary<string, long> CountsByReason(string groupsJson) =>
        Rows(groupsJson).GroupBy(g => g["reason"].GetString()!)
            .ToDictionary(g => g.Key, g => g.Sum(r => r["count"].GetInt64()));

    /// <summary>Every reason's count is report.json's, and together they are its records.rejected.</summary>
    public static void MatchesReport(string groupsJson, RunReport report)
    {
        var counts = CountsByReason(groupsJson);
        Assert.Equal(report.Records.RejectedByReason!.OrderBy(p => p.Key, StringComparer.Ordinal),
            counts.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(report.Records.Rejected, counts.Values.Sum());
    }

    /// <summary>The raw texts of a `--all --format json` output.</summary>
    public static List<string> Raws(string allJson) => [.. Rows(allJson).Select(r => r["raw"].GetString()!)];
}
