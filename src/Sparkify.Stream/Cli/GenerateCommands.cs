using System.CommandLine;

namespace Sparkify.Stream.Cli;

/// <summary>`sparkify generate`: synthetic data in the input formats of SPEC §1.</summary>
internal static class GenerateCommands
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("generate", "Generate synthetic Sparkify data (not available in this build yet).");
        command.SetAction(int (_) => throw new ConfigurationException("generate is not available in this build yet"));
        return command;
    }
}
