using static Sparkify.Stream.Cli.RunInterruption;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>The closing line of an interrupted run, for each point the commit had reached.</summary>
public sealed class RunInterruptionTests
{
    [Fact]
    public void The_closing_line_says_what_is_known_of_the_commit()
    {
        Assert.Equal("interrupted: nothing committed", Describe(CommitState.NotSent, new OperationCanceledException()));
        Assert.Equal("interrupted: committed", Describe(CommitState.Committed, null));
        // Sent, and no answer: the COMMIT may or may not have been applied.
        Assert.Equal("interrupted: the commit's outcome is unknown: `sparkify packages` shows it",
            Describe(CommitState.Sent, new IOException("connection reset")));
        Assert.Equal("interrupted: committed; then IOException: disk full",
            Describe(CommitState.Committed, new IOException("disk full")));
    }
}
