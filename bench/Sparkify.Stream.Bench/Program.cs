using BenchmarkDotNet.Running;
using Sparkify.Stream.Bench;

// Micro-benchmarks:  dotnet run -c Release --project bench/Sparkify.Stream.Bench -- --filter '*'  (BenchmarkDotNet's options)
// bench/run.sh's check: dotnet Sparkify.Stream.Bench.dll compare-star OURS.duckdb THEIRS.duckdb
// The writer benchmark's check:  dotnet Sparkify.Stream.Bench.dll check-writers [ROWS]
// ... as interleaved rounds:     dotnet Sparkify.Stream.Bench.dll time-writers ROWS ROUNDS
// Parse + validate, best of N:   dotnet Sparkify.Stream.Bench.dll time-parse [ROUNDS] [LOG_FILE]
// S3 listing, flat vs split:     dotnet Sparkify.Stream.Bench.dll time-s3-list ENDPOINT s3://BUCKET/PREFIX ROUNDS [SERVER_PID]
if (args is ["compare-star", var ours, var theirs]) return StarCompare.Run(ours, theirs);
if (args is ["check-writers", .. var rest]) return WriterCheck.Run(rest is [var n] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 100_000);
if (args is ["time-writers", var rows, var rounds])
    return WriterTiming.Run(int.Parse(rows, System.Globalization.CultureInfo.InvariantCulture), int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture));
if (args is ["time-parse", .. var parse])
    return ParseTiming.Run(parse is [var r, ..] ? int.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : 20, parse is [_, var file] ? file : null);
if (args is ["time-s3-list", var endpoint, var root, var listRounds, .. var server] && server.Length <= 1)
{
    return await S3ListTiming.RunAsync(endpoint, root, int.Parse(listRounds, System.Globalization.CultureInfo.InvariantCulture),
        server is [var pid] ? int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture) : null);
}
BenchmarkSwitcher.FromAssembly(typeof(BenchData).Assembly).Run(args);
return 0;
