using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Sparkify.Stream.Tests.Warehouse;

/// <summary>
/// sqlfluff (Debian's package, 1.4.5), an independent SQL grammar: <c>sqlfluff parse --dialect redshift</c> over a
/// folder of statement files, one run for all of them (it takes seconds to start).
/// </summary>
internal static class SqlFluff
{
    public const string Missing =
        "sqlfluff is not on PATH: it holds the Redshift statements against an independent Redshift grammar. Install it " +
        "(Debian: apt-get update && apt-get install -y sqlfluff; scripts/test.sh does this itself when run as root) " +
        "and run the tests again.";

    /// <summary>
    /// Parses every <c>.sql</c> file of <paramref name="folder"/> under <paramref name="dialect"/>; for each file
    /// (by name) the unparsable text sqlfluff found, or null when the whole file parsed.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Parse(string folder, string dialect)
    {
        var start = new ProcessStartInfo("sqlfluff")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = folder,
        };
        // raw templater: the statements are final text (no Jinja); no config file of any parent folder applies.
        foreach (var argument in (string[])["parse", "--dialect", dialect, "--templater", "raw", "--format", "json",
                     "--code-only", "--nocolor", "--ignore-local-config", "."])
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("sqlfluff did not start");
        }
        catch (Win32Exception)
        {
            Assert.Fail(Missing);
            throw;
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            // 0: everything parsed; 1: something did not (reported per file below); anything else: sqlfluff failed.
            Assert.True(process.ExitCode is 0 or 1, $"sqlfluff exited with {process.ExitCode}: {stderr.Result}");
            using var json = JsonDocument.Parse(stdout);
            var result = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var file in json.RootElement.EnumerateArray())
            {
                var name = Path.GetFileName(file.GetProperty("filepath").GetString()!);
                var unparsable = new List<string>();
                Collect(file.GetProperty("segments"), false, unparsable);
                result[name] = unparsable.Count == 0 ? null : string.Join(" ", unparsable);
            }
            return result;
        }
    }

    /// <summary>The raw text under every "unparsable" node of a parse tree.</summary>
    private static void Collect(JsonElement node, bool inside, List<string> raw)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in node.EnumerateObject())
                {
                    var now = inside || property.Name == "unparsable";
                    if (now && property.Value.ValueKind == JsonValueKind.String) raw.Add(property.Value.GetString()!);
                    else Collect(property.Value, now, raw);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in node.EnumerateArray()) Collect(item, inside, raw);
                break;
        }
    }
}
