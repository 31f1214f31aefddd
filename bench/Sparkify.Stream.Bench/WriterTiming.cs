using System.Diagnostics;
using System.Globalization;

namespace Sparkify.Stream.Bench;

/// <summary>
/// The writer benchmark as interleaved rounds with medians of wall and CPU time, for a shared, busy machine where
/// BenchmarkDotNet's few iterations of one writer at a time see the load change between writers.
/// </summary>
internal static class WriterTiming
{
    public static int Run(int rows, int rounds)
    {
        var bench = new WriterBenchmarks { Rows = rows };
        bench.Setup();
        (string Name, Action Write)[] writers =
        [
            ("hand-written", () => bench.HandWritten()), ("ParquetSharp", () => bench.ParquetSharp()),
            ("ParquetSharp, no statistics", () => bench.ParquetSharpNoStats()),
            ("Parquet.Net", () => bench.ParquetNet().GetAwaiter().GetResult()),
        ];
        var times = writers.ToDictionary(w => w.Name, _ => new List<(double Wall, double Cpu)>());
        for (var r = -1; r < rounds; r++)
        {
            foreach (var (name, write) in writers)
            {
                GC.Collect();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                write();
                var wall = clock.Elapsed.TotalMilliseconds;
                var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
                if (r >= 0) times[name].Add((wall, used));   // round -1 warms up
            }
        }
        bench.Cleanup();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows, {rounds} interleaved rounds, load {File.ReadAllText("/proc/loadavg").Trim()}"));
        Console.WriteLine("| writer | wall ms (median) | min-max | CPU ms (median) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, _) in writers)
        {
            var walls = times[name].Select(t => t.Wall).Order().ToArray();
            var cpus = times[name].Select(t => t.Cpu).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {walls[walls.Length / 2]:F0} | {walls[0]:F0}-{walls[^1]:F0} | {cpus[cpus.Length / 2]:F0} |"));
        }
        return 0;
    }
}
