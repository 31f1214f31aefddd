using System.CommandLine;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Cli;

/// <summary>The <c>sparkify</c> command line.</summary>
internal static class SparkifyCli
{
    /// <param name="stdin">Where a command reads a confirmation (`forget` without --yes); default the console's.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null,
        TextReader? stdin = null)
    {
        var output = stdout ?? Console.Out;
        var errors = stderr ?? Console.Error;
        var root = Build(output, errors, stdin ?? Console.In);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) errors.WriteLine($"error: {error.Message}{DidYouMean(parsed, error.Message)}");
            // An unknown option taken as an argument's value ('query --limt 3') is no parse error of its own.
            var known = NamesOf(parsed.CommandResult.Command.Options).ToHashSet(StringComparer.Ordinal);
            foreach (var token in parsed.Tokens.Where(t => t.Type == System.CommandLine.Parsing.TokenType.Argument && t.Value.StartsWith("--", StringComparison.Ordinal)
                         && !known.Contains(t.Value) && !parsed.UnmatchedTokens.Contains(t.Value)))
            {
                if (Nearest.Of(token.Value, known.Where(n => n.Length > 2)) is { } near)
                    errors.WriteLine($"error: unknown option '{token.Value}'. Did you mean '{near}'?");
            }
            errors.WriteLine("Try 'sparkify --help'.");
            return ExitCodes.Usage;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = output,
                Error = errors,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception ex)
        {
            errors.WriteLine($"error: {Describe(ex)}");
            return ex is SparkifyException sparkify ? sparkify.ExitCode : ExitCodes.RunFailed;
        }
    }

    /// <summary>
    /// " Did you mean '…'?" when the error names a token the command line did not match and one of the command's
    /// subcommands or options (names and aliases) is a likely typo fix; "" otherwise. System.CommandLine's own typo
    /// corrections print apart from the error, in its own format, and offer any short alias for a stray value.
    /// </summary>
    private static string DidYouMean(ParseResult parsed, string message)
    {
        var command = parsed.CommandResult.Command;
        foreach (var token in parsed.UnmatchedTokens)
        {
            if (!message.Contains($"'{token}'", StringComparison.Ordinal)) continue;
            var candidates = token.StartsWith('-') ? NamesOf(command.Options) : command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name));
            if (Nearest.Of(token, candidates.Where(c => c.Length > 2)) is { } near) return $" Did you mean '{near}'?";
        }
        return "";
    }

    internal static IEnumerable<string> NamesOf(IEnumerable<Option> options) => options.SelectMany(o => o.Aliases.Prepend(o.Name));

    /// <summary>The one-line message for a failure (secrets masked); exit codes follow <see cref="ExitCodes"/>.</summary>
    internal static string Describe(Exception ex) => ex switch
    {
        SparkifyException => ex.Message,
        OperationCanceledException => "cancelled; nothing from the unfinished pass was committed",
        _ => $"the run failed, nothing was committed: {ex.GetType().Name}: {Secrets.Mask(ex.Message)}",
    };

    private static RootCommand Build(TextWriter output, TextWriter errors, TextReader input)
    {
        var common = new CommonOptions();
        var root = new RootCommand(
            "Sparkify.Stream: Sparkify's song and event JSON → validated Parquet + COPY manifests → star schema " +
            "(DuckDB, Postgres, Redshift).\n\nExample: sparkify --batch   (loads ./data into .sparkify/warehouse.duckdb)");
        foreach (var option in common.RunOptions) root.Options.Add(option);
        root.SetAction((result, ct) => RunCommand(common, result, output, errors, RunMode.Load, batch: false, ct));

        var run = new Command("run", "Load new and changed files (the default command).\n\nExample: sparkify run --batch --logs s3://bucket/log_data");
        foreach (var option in common.RunOptions) run.Options.Add(option);
        run.SetAction((result, ct) => RunCommand(common, result, output, errors, RunMode.Load, batch: false, ct));
        root.Subcommands.Add(run);

        var replace = new Option<bool>("--replace") { Description = "re-read the range even if loaded, replacing its songplays" };
        var backfill = new Command("backfill", "Load the log files of a date range.\n\nExample: sparkify backfill --from 2018-11-03 --to 2018-11-05 --replace");
        foreach (var option in common.RunOptions.Where(o => o != common.Batch)) backfill.Options.Add(option);
        backfill.Options.Add(replace);
        backfill.Validators.Add(r =>
        {
            if (r.GetResult(common.From) is null || r.GetResult(common.To) is null)
                r.AddError("backfill needs both --from and --to");
        });
        backfill.SetAction((result, ct) =>
            RunCommand(common, result, output, errors, result.GetValue(replace) ? RunMode.Replace : RunMode.Load, batch: true, ct));
        root.Subcommands.Add(backfill);

        var stage = new Command("stage",
            "Stage a load package and exit: list, parse, validate, write Parquet + manifests + package.json; no load " +
            "(run it on as many machines as the input needs, then 'sparkify load' once).\n\n" +
            "Example: sparkify stage --shard auto/8 --no-ledger --logs s3://bucket/log_data --staging s3://bucket/staging");
        foreach (var option in common.StageOptions) stage.Options.Add(option);
        stage.SetAction((result, ct) => RunCommand(common, result, output, errors, RunMode.Stage, batch: true, ct));
        root.Subcommands.Add(stage);
        root.Subcommands.Add(PackageCommands.Load(common, output, errors));
        root.Subcommands.Add(PackageCommands.List(common, output));
        root.Subcommands.Add(RejectsCommand.Create(common, output));

        root.Subcommands.Add(CreateTablesCommand(common, output, errors));
        root.Subcommands.Add(QueryCommand(common, output, errors));
        root.Subcommands.Add(CheckCommand(common, output, errors));
        root.Subcommands.Add(LedgerCommands.Files(common, output, errors));
        root.Subcommands.Add(LedgerCommands.Forget(common, output, errors, input));
        root.Subcommands.Add(DoctorCommand.Create(common, output));
        root.Subcommands.Add(ConfigCommand.Create(common, output, errors));
        root.Subcommands.Add(GenerateCommands.Create(output));
        return root;
    }

    /// <param name="mode">What the command runs: a load, a range's replacement, or staging alone.</param>
    /// <param name="batch">One pass whatever --batch says (backfill, stage): they never watch.</param>
    private static async Task<int> RunCommand(CommonOptions common, ParseResult result, TextWriter output,
        TextWriter errors, RunMode mode, bool batch, CancellationToken ct)
    {
        var options = ConfigurationLoader.Load(result.GetValue(common.Config), common.ToConfiguration(result), mode: mode);
        var dryRun = common.DryRunFormat(result);
        if (batch || dryRun is not null) options = options with { Batch = true };
        if (dryRun is not null) return await DryRunAsync(options, result, common, dryRun, output, errors, ct);
        RunReport.CheckWritable(options.ReportPath);
        var console = ConsoleFor(output, result.GetValue(common.Quiet));
        var quiet = result.GetValue(common.Quiet);
        var verbose = result.GetValue(common.Verbose);
        // Under a live display, information lines would tear it: they wait for --verbose; warnings still show.
        var liveTerminal = !quiet && IsTerminal(output) && !Console.IsErrorRedirected;
        using var loggers = Logging.Create(errors, quiet ? LogLevel.Error : liveTerminal && !verbose ? LogLevel.Warning : null, verbose);
        var logger = loggers.CreateLogger("sparkify");
        foreach (var warning in options.Warnings) CliLog.ConfigurationWarning(logger, warning);
        // Without --batch a run watches: say so at once, before anything slow, so a bare 'sparkify' does not look hung.
        if (!options.Batch && !quiet) await errors.WriteLineAsync(WatchingLine(options));
        Task<Infrastructure> OpenAsync(CancellationToken token) =>
            InfrastructureFactory.OpenAsync(options, loggers.CreateLogger("sparkify.warehouse"), holdWarehouse: options.Batch, token);
        // A terminal gets a live display; cron and CI a plain log line every few seconds; --quiet neither.
        var live = !quiet && IsTerminal(output) ? new LiveProgress(console) : null;
        using var periodic = quiet || live is not null ? null : new LogProgress(logger, TimeSpan.FromSeconds(5));
        using var metrics = new RunMetrics();
        using var export = MetricsExport.Start(options.MetricsPort);
        var passes = new PassPresenter(console, live, periodic, metrics);
        var onPhase = TestPause.FromEnvironment()?.Hook(logger);
        if (!options.Batch) return await WatchAsync(options, await OpenAsync(ct), OpenAsync, logger, passes, onPhase);
        using var interruption = new RunInterruption(errors, () => console.Cursor.Show(true), ct);
        return await interruption.RunAsync(async token =>
        {
            await using var infrastructure = await OpenAsync(token);
            var job = new RunJob(options, infrastructure, logger, passes.Progress, interruption.Watch(onPhase));
            var report = await passes.RunAsync(async () => await job.RunOnceAsync(token));
            if (report is not null && report.Status.IsStopped())
            {
                await errors.WriteLineAsync($"error: {report.Error}");
                return ExitCodes.RejectLimit;
            }
            return ExitCodes.Success;
        });
    }

    /// <summary>
    /// <c>--dry-run</c>: the run's plan, printed; nothing is staged, pruned, created or loaded (the warehouse opened as
    /// it is, DuckDB read-only; no report written). One pass, whatever --batch says.
    /// </summary>
    private static async Task<int> DryRunAsync(SparkifyOptions options, ParseResult result, CommonOptions common,
        string format, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var quiet = result.GetValue(common.Quiet);
        using var loggers = Logging.Create(errors, quiet ? LogLevel.Error : LogLevel.Warning, result.GetValue(common.Verbose));
        var logger = loggers.CreateLogger("sparkify");
        foreach (var warning in options.Warnings) CliLog.ConfigurationWarning(logger, warning);
        await using var infrastructure = await InfrastructureFactory.OpenReadOnlyAsync(options, loggers.CreateLogger("sparkify.warehouse"), ct);
        var preview = await new RunJob(options, infrastructure, logger).PreviewAsync(ct);
        if (format == "json") await output.WriteLineAsync(DryRunOutput.Json(preview, options));
        else DryRunOutput.Print(ConsoleFor(output, quiet: false), output, preview, options);
        return ExitCodes.Success;
    }

    internal static string WatchingLine(SparkifyOptions options) =>
        $"watching {options.Songs} and {options.Logs} for new files every {options.IntervalSeconds} s, loading into " +
        $"{options.Target}; Ctrl-C stops (after the pass in flight), --batch runs one pass and exits";

    /// <summary>
    /// Watch mode. The infrastructure opened at start-up (where a bad connection is exit 2) serves every pass; after a
    /// failed pass it is closed and the next pass opens it afresh, so a database restart does not leave the watcher
    /// with a dead connection. On DuckDB nothing stays open: the file is opened only for a pass's ledger read and its
    /// load (<see cref="OnDemandWarehouse"/>), so other processes can use it in between. A pass stopped by the reject
    /// limit is an outcome, not a failure: logged as an error, and the next poll tries again.
    /// </summary>
    private static async Task<int> WatchAsync(SparkifyOptions options, Infrastructure opened,
        Func<CancellationToken, Task<Infrastructure>> reopen, ILogger logger, PassPresenter passes,
        Func<string, CancellationToken, Task>? onPhase)
    {
        Infrastructure? infrastructure = opened;
        try
        {
            using var watch = new WatchLoop(async token =>
            {
                infrastructure ??= await reopen(token);
                try
                {
                    var job = new RunJob(options, infrastructure, logger, passes.Progress, onPhase);
                    var report = await passes.RunAsync(() => job.PollAsync(token));
                    return report is not null && report.Status.IsStopped() ? report.Error : null;
                }
                catch
                {
                    await CloseQuietlyAsync(infrastructure);
                    infrastructure = null;
                    throw;
                }
            }, TimeSpan.FromSeconds(options.IntervalSeconds), logger);
            return await watch.RunAsync();
        }
        finally
        {
            if (infrastructure is not null) await CloseQuietlyAsync(infrastructure);
        }
    }

    private static async Task CloseQuietlyAsync(Infrastructure infrastructure)
    {
        try
        {
            await infrastructure.DisposeAsync();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or IOException)
        {
            // Closing an already broken connection: nothing to keep, nothing to report.
        }
    }

    private static Command CreateTablesCommand(CommonOptions common, TextWriter output, TextWriter errors)
    {
        var drop = new Option<bool>("--drop") { Description = "drop every table first (all loaded data is lost)" };
        var command = new Command("create-tables", "Create the star schema, staging tables and load ledger.\n\nExample: sparkify create-tables --drop");
        foreach (var option in common.TargetOptions) command.Options.Add(option);
        command.Options.Add(drop);
        command.SetAction(async (result, ct) =>
        {
            var options = ConfigurationLoader.Load(result.GetValue(common.Config), common.ToConfiguration(result));
            using var loggers = CommandLoggers(result, common, errors);
            await using var warehouse = await InfrastructureFactory.OpenWarehouseAsync(options, loggers.CreateLogger("sparkify.warehouse"), ct);
            await warehouse.CreateTablesAsync(result.GetValue(drop), ct);
            if (!result.GetValue(common.Quiet))
                await output.WriteLineAsync($"tables {(result.GetValue(drop) ? "dropped and " : "")}created on {warehouse.Target}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command QueryCommand(CommonOptions common, TextWriter output, TextWriter errors)
    {
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "a named query (see --list)" };
        var list = new Option<bool>("--list") { Description = "list the named queries" };
        var format = new Option<string>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var limit = new Option<int>("--limit") { Description = "at most N rows (default 10)", DefaultValueFactory = _ => 10 };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--limit must be at least 1");
        });
        var sql = new Option<string?>("--sql")
        {
            Description = "your own SQL: one statement, run read-only (DuckDB opened read-only; Postgres/Redshift in a READ ONLY transaction)",
            HelpName = "STATEMENT",
        };
        var sqlFile = new Option<FileInfo?>("--sql-file") { Description = "as --sql, the statement read from a file", HelpName = "FILE" };
        var command = new Command("query", "Answer the analytics team's questions, or your own (--sql).\n\n" +
            "Example: sparkify query top-songs --limit 5 --format csv\n" +
            "         sparkify query --sql \"SELECT level, COUNT(*) FROM songplays GROUP BY level\"");
        command.Arguments.Add(name);
        command.Options.Add(sql);
        command.Options.Add(sqlFile);
        foreach (var option in common.TargetOptions) command.Options.Add(option);
        command.Options.Add(list);
        command.Options.Add(format);
        command.Options.Add(limit);
        command.SetAction(async (result, ct) =>
        {
            var queries = NamedQueries.All;
            var chosen = result.GetValue(name);
            if (result.GetValue(sql) is not null || result.GetValue(sqlFile) is not null)
            {
                if (chosen is not null || result.GetValue(list) || result.GetValue(sql) is not null && result.GetValue(sqlFile) is not null)
                    throw new ConfigurationException("give one of: a query name, --sql or --sql-file");
                var text = result.GetValue(sql) ?? ReadSqlFile(result.GetValue(sqlFile)!);
                return await QueryUserSqlAsync(result, common, text, result.GetValue(limit), result.GetValue(format)!, output, errors, ct);
            }
            if (result.GetValue(list) || chosen is null)
            {
                foreach (var q in queries) await output.WriteLineAsync($"{q.Name,-18} {q.Description}");
                return chosen is null && !result.GetValue(list) ? ExitCodes.Usage : ExitCodes.Success;
            }
            var query = queries.FirstOrDefault(q => q.Name == chosen) ?? throw new ConfigurationException(
                (chosen.StartsWith('-') && Nearest.Of(chosen, NamesOf(result.CommandResult.Command.Options).Where(n => n.Length > 2)) is { } option
                    ? $"no option {chosen} for 'sparkify query' (did you mean {option}?)"
                    : $"no query named '{chosen}'" + (Nearest.Of(chosen, queries.Select(q => q.Name)) is { } near ? $" (did you mean '{near}'?)" : "")) +
                "; see 'sparkify query --list'");
            var options = ConfigurationLoader.Load(result.GetValue(common.Config), common.ToConfiguration(result));
            using var loggers = CommandLoggers(result, common, errors);
            await using var warehouse = await OpenExistingWarehouseAsync(options, loggers.CreateLogger("sparkify.warehouse"), ct);
            var rows = await warehouse.QueryAsync(query.Sql(warehouse.Scripts, result.GetValue(limit)), ct);
            ConsoleOutput.PrintQuery(output, ConsoleFor(output, quiet: false), rows, result.GetValue(format)!);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string ReadSqlFile(FileInfo file)
    {
        try
        {
            return File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"cannot read --sql-file {file.FullName}: {e.Message}");
        }
    }

    /// <summary>
    /// `query --sql`: the user's statement on the configured warehouse, read-only by construction. The warehouse is
    /// opened as it is (DuckDB read-only; no table set-up or upgrade on any target), and must exist.
    /// </summary>
    private static async Task<int> QueryUserSqlAsync(ParseResult result, CommonOptions common, string sql, int limit, string format,
        TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var statement = UserSql.SingleStatement(sql);   // refused before anything is opened
        var options = ConfigurationLoader.Load(result.GetValue(common.Config), common.ToConfiguration(result));
        using var loggers = CommandLoggers(result, common, errors);
        await using (var warehouse = await OpenUnchangedAsync(options, loggers.CreateLogger("sparkify.warehouse"), ct))
        {
            var (rows, more) = await warehouse.QueryUserSqlAsync(statement, limit, ct);
            ConsoleOutput.PrintQuery(output, ConsoleFor(output, quiet: false), rows, format);
            if (more) await errors.WriteLineAsync($"(the first {limit} rows: there are more; --limit N shows up to N)");
        }
        return ExitCodes.Success;
    }

    /// <summary>What a reading command says where the DuckDB file it is to read does not exist (exit 2).</summary>
    private static ConfigurationException NoDuckDbWarehouse(string path) =>
        new($"no warehouse at {path}: load one first ('sparkify --batch'), or name yours with --connection");

    /// <summary>
    /// The warehouse as it is, for a command that must not change it (query --sql, files): DuckDB opened read-only,
    /// Postgres and Redshift with no table set-up or upgrade. A DuckDB file that does not exist is exit 2 (none is made).
    /// </summary>
    internal static async Task<SqlWarehouse> OpenUnchangedAsync(SparkifyOptions options, ILogger logger, CancellationToken ct)
    {
        if (options.Target != "duckdb") return (SqlWarehouse)await InfrastructureFactory.OpenWarehouseAsync(options, logger, ct);
        var path = Path.GetFullPath(InfrastructureFactory.DuckDbPath(options));
        return await DuckDbWarehouse.OpenReadOnlyAsync(path, logger, TimeSpan.FromSeconds(options.LockWaitSeconds), ct)
            ?? throw NoDuckDbWarehouse(path);
    }

    /// <summary>
    /// The warehouse a reading command (query, check, forget) reads. It must exist: such a command creates none, and where
    /// there is none it says where it looked (exit 2) rather than show an empty answer from a warehouse it just made.
    /// </summary>
    internal static async Task<IWarehouse> OpenExistingWarehouseAsync(SparkifyOptions options, ILogger logger, CancellationToken ct)
    {
        if (options.Target == "duckdb")
        {
            var path = Path.GetFullPath(InfrastructureFactory.DuckDbPath(options));
            if (!File.Exists(path)) throw NoDuckDbWarehouse(path);
        }
        var warehouse = await InfrastructureFactory.OpenWarehouseAsync(options, logger, ct);
        try
        {
            await RequireLedgerAsync(warehouse, options, ct);
            await warehouse.CreateTablesAsync(drop: false, ct);
            return warehouse;
        }
        catch
        {
            await warehouse.DisposeAsync();
            throw;
        }
    }

    /// <summary>Exit 2 naming where it looked when <paramref name="warehouse"/> has no load ledger (no sparkify warehouse there).</summary>
    internal static async Task RequireLedgerAsync(IWarehouse warehouse, SparkifyOptions options, CancellationToken ct)
    {
        if (!await warehouse.HasLedgerAsync(ct))
        {
            throw new ConfigurationException(
                $"no sparkify warehouse at {warehouse.Endpoint} (no load ledger there): load one first ('sparkify " +
                $"--batch --target {options.Target}') or create its tables ('sparkify create-tables')");
        }
    }

    private static Command CheckCommand(CommonOptions common, TextWriter output, TextWriter errors)
    {
        var command = new Command("check", "Check the warehouse: keys present and unique, time rows, levels, row counts.\n\nExample: sparkify check --target postgres");
        foreach (var option in common.TargetOptions) command.Options.Add(option);
        command.SetAction(async (result, ct) =>
        {
            var options = ConfigurationLoader.Load(result.GetValue(common.Config), common.ToConfiguration(result));
            using var loggers = CommandLoggers(result, common, errors);
            await using var warehouse = await OpenExistingWarehouseAsync(options, loggers.CreateLogger("sparkify.warehouse"), ct);
            var outcomes = await WarehouseChecks.RunAsync(warehouse, ct);
            foreach (var o in outcomes)
                await output.WriteLineAsync($"{(o.Passed ? "ok  " : "FAIL")}  {o.Description}{(o.Passed ? "" : $" ({o.Detail})")}");
            return outcomes.All(o => o.Passed) ? ExitCodes.Success : ExitCodes.RunFailed;
        });
        return command;
    }

    /// <summary>
    /// The log of a command that only opens the warehouse (query, check, create-tables): warnings on stderr, such as
    /// the one line saying it waits for a DuckDB file another process holds; --quiet: errors only.
    /// </summary>
    internal static ILoggerFactory CommandLoggers(ParseResult result, CommonOptions common, TextWriter errors) =>
        Logging.Create(errors, result.GetValue(common.Quiet) ? LogLevel.Error : LogLevel.Warning, verbose: false);

    private static bool IsTerminal(TextWriter output) => output == Console.Out && !Console.IsOutputRedirected;

    internal static IAnsiConsole ConsoleFor(TextWriter output, bool quiet)
    {
        var terminal = IsTerminal(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(quiet ? TextWriter.Null : output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Into a file or a pipe, wrapping rows at 80 columns only makes them harder to read and to grep.
        if (!terminal) console.Profile.Width = 240;
        return console;
    }
}
