using System.CommandLine;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Cli;

/// <summary>`sparkify config`: every resolved setting, where it came from and what it means; secrets masked.</summary>
internal static class ConfigCommand
{
    public static Command Create(CommonOptions common, TextWriter output, TextWriter errors)
    {
        var format = new Option<string>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("config",
            "Show every setting as a run would resolve it — command line > environment (SPARKIFY_…) > config file > " +
            "default — with where each value came from and what it means. Passwords and keys are masked.\n\n" +
            "Example: sparkify config --config dwh.cfg --target redshift --format json");
        foreach (var option in common.RunOptions.Where(o => o != common.Quiet && o != common.Verbose)) command.Options.Add(option);
        command.Options.Add(format);
        command.SetAction(async (result, ct) =>
        {
            var layers = ConfigurationLoader.Build(result.GetValue(common.Config), common.ToConfiguration(result));
            var options = ConfigurationLoader.Load(layers);
            foreach (var warning in options.Warnings) await errors.WriteLineAsync($"warning: {warning}");
            var settings = ResolvedSettings.Of(layers, options);
            var table = new QueryResult(["setting", "value", "source", "meaning"],
                [.. settings.Select(s => new object?[] { s.Key, Secrets.Mask(s.Value), s.Source, s.Meaning })]);
            ConsoleOutput.PrintQuery(output, SparkifyCli.ConsoleFor(output, quiet: false), table, result.GetValue(format)!);
            return ExitCodes.Success;
        });
        return command;
    }
}
