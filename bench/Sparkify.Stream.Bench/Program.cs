using BenchmarkDotNet.Running;
using Sparkify.Stream.Bench;

// Micro-benchmarks:  dotnet run -c Release --project bench/Sparkify.Stream.Bench -- --filter '*'  (BenchmarkDotNet's options)
// bench/run.sh's check: dotnet Sparkify.Stream.Bench.dll compare-star OURS.duckdb THEIRS.duckdb
if (args is ["compare-star", var ours, var theirs]) return StarCompare.Run(ours, theirs);
BenchmarkSwitcher.FromAssembly(typeof(BenchData).Assembly).Run(args);
return 0;
