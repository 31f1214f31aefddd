using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Sparkify.Stream.Bench -- --filter '*'   (BenchmarkDotNet's own options)
BenchmarkSwitcher.FromAssembly(typeof(Sparkify.Stream.Bench.BenchData).Assembly).Run(args);
