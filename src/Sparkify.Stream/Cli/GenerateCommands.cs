using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sparkify.Stream.Generation;

namespace Sparkify.Stream.Cli;

/// <summary>`sparkify generate`: synthetic, seeded data in the input formats of docs/semantics.md#inputs.</summary>
internal static class GenerateCommands
{
    public static Command Create(TextWriter output)
    {
        var defaults = new GeneratorOptions(".");
        var outDir = new Option<string>("--out") { Description = "folder that receives song_data/ and log_data/", Required = true, HelpName = "DIR" };
        var songs = new Option<int>("--songs") { Description = $"song files (default {defaults.Songs})", DefaultValueFactory = _ => defaults.Songs, HelpName = "N" };
        var events = new Option<int>("--events") { Description = $"event lines over all days (default {defaults.Events})", DefaultValueFactory = _ => defaults.Events, HelpName = "N" };
        var users = new Option<int>("--users") { Description = $"distinct users (default {defaults.Users})", DefaultValueFactory = _ => defaults.Users, HelpName = "N" };
        var days = new Option<int>("--days") { Description = $"log files, one per day (default {defaults.Days})", DefaultValueFactory = _ => defaults.Days, HelpName = "N" };
        var start = new Option<string>("--start") { Description = $"first day, YYYY-MM-DD (default {defaults.Start:yyyy-MM-dd})", HelpName = "D" };
        var seed = new Option<int>("--seed") { Description = $"same seed, same bytes (default {defaults.Seed})", DefaultValueFactory = _ => defaults.Seed, HelpName = "N" };
        var gzip = new Option<bool>("--gzip") { Description = "write .json.gz files" };
        var badLines = new Option<int>("--bad-lines") { Description = "mix N bad lines of each bad class into the log files, plus a few bad song files (default 0)", HelpName = "N" };
        var realism = new Option<string>("--realism") { Description = "clean (default: the generator's own shape) or messy (spelled as the real Udacity files: \\/ and \\u escapes, double-encoded names, quoted user agents; CRLF in some files)", HelpName = "clean|messy" };
        var command = new Command("generate",
            "Generate realistic synthetic Sparkify data (deterministic per seed).\n\n" +
            "Example: sparkify generate --out /tmp/sparkify-1m --songs 20000 --events 1000000 --days 30")
        {
            outDir, songs, events, users, days, start, seed, gzip, badLines, realism,
        };
        command.SetAction(result =>
        {
            var startText = result.GetValue(start);
            DateOnly first = defaults.Start;
            if (startText is not null && !DateOnly.TryParseExact(startText, "yyyy-MM-dd", CultureInfo.InvariantCulture,
                    DateTimeStyles.None, out first))
                throw new ConfigurationException($"--start must be a date as YYYY-MM-DD, not '{startText}'");
            Realism shape;
            try
            {
                shape = GeneratorOptions.ParseRealism(result.GetValue(realism) ?? "clean");
            }
            catch (ArgumentException ex)
            {
                throw new ConfigurationException(ex.Message);
            }
            var options = new GeneratorOptions(result.GetValue(outDir)!)
            {
                Songs = result.GetValue(songs),
                Events = result.GetValue(events),
                Users = result.GetValue(users),
                Days = result.GetValue(days),
                Start = first,
                Seed = result.GetValue(seed),
                Gzip = result.GetValue(gzip),
                BadLines = result.GetValue(badLines),
                Realism = shape,
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new ConfigurationException(ex.Message);
            }
            var clock = Stopwatch.StartNew();
            var made = DataGenerator.Generate(options);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generated {made.SongFiles:N0} song files and {made.LogFiles:N0} log files ({made.Events:N0} events, {made.Bytes / 1048576.0:F1} MB, {shape.ToString().ToLowerInvariant()}) in {options.OutDir} in {clock.Elapsed.TotalSeconds:F1}s"));
            if (made.BadRecords is { } bad)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"plus bad input that a run rejects: {bad.Values.Sum():N0} records ({string.Join(", ", bad.Select(p => $"{p.Key} {p.Value:N0}"))})"));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
