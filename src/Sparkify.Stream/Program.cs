using Sparkify.Stream.Cli;

return await SparkifyCli.RunAsync(args);
