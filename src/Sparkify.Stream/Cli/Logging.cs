using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Sparkify.Stream.Cli;

/// <summary>Logging to stderr with timestamps; stdout is kept for summaries and query results.</summary>
internal static class Logging
{
    /// <param name="floor">A higher minimum level (--quiet: errors only; under a live display: warnings), or null.</param>
    public static ILoggerFactory Create(TextWriter errors, LogLevel? floor, bool verbose)
    {
        var level = verbose ? LogLevel.Debug : LogLevel.Information;
        if (floor is { } minimum && minimum > level) level = minimum;
        if (errors != Console.Error)
            return LoggerFactory.Create(b => b.SetMinimumLevel(level).AddProvider(new WriterLoggerProvider(errors, level)));
        return LoggerFactory.Create(b => b.SetMinimumLevel(level).AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.UseUtcTimestamp = true;
            o.ColorBehavior = Console.IsErrorRedirected ? LoggerColorBehavior.Disabled : LoggerColorBehavior.Default;
        }).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
    }

    /// <summary>A minimal logger to a given writer (tests capture the CLI's stderr this way).</summary>
    private sealed class WriterLoggerProvider(TextWriter writer, LogLevel minimum) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new WriterLogger(writer, minimum);

        public void Dispose()
        {
        }

        private sealed class WriterLogger(TextWriter writer, LogLevel minimum) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel)) return;
                lock (writer) writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}");
            }
        }
    }
}
