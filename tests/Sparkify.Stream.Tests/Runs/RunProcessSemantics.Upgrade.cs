using Sparkify.Stream.Generation;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Tests.Semantics;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>
/// A warehouse made by the release before the field-count column was renamed (nulls → null_count: NULLS is a reserved
/// word on Redshift) keeps working: a stager reads its history as it is, the next load renames the column in place
/// (the rows kept) and remakes the staging table.
/// </summary>
public abstract partial class RunProcessSemantics
{
    /// <summary>The (table, column) pairs of the two field-count tables that name the null count, either way.</summary>
    private static Task<List<string>> NullCountColumnsAsync(TargetUnderTest target) => RowsAsync(target,
        "SELECT table_name, column_name FROM information_schema.columns " +
        "WHERE table_schema = current_schema() AND table_name IN ('sparkify_field_counts', 'staging_field_counts') " +
        "AND column_name IN ('nulls', 'null_count') ORDER BY table_name, column_name");

    /// <summary>Every history row as text, in one order (the null count by whatever name it has: the seventh column).</summary>
    private static Task<List<string>> HistoryAsync(TargetUnderTest target) =>
        RowsAsync(target, "SELECT * FROM sparkify_field_counts ORDER BY source_key, field");

    [Fact]
    public async Task A_warehouse_whose_field_counts_have_the_old_nulls_column_is_read_by_a_stager_and_upgraded_by_the_next_load()
    {
        using var s = new Scenario();
        DataGenerator.Generate(new GeneratorOptions(s.Root) { Songs = 30, Events = 2000, Users = 10, Days = 2, Seed = 74 });
        var target = await NewTargetAsync();
        using (var history = await RunToEndAsync(s, target, "--batch"))
            Assert.True(history.ExitCode == 0, history.Describe());
        var rows = await HistoryAsync(target);
        Assert.NotEmpty(rows);

        // The shape the older release made: its create_tables named the column nulls in both tables (same type, same
        // place), and it loaded the same rows.
        await using (var warehouse = await target.OpenAsync())
        {
            await warehouse.QueryAsync("ALTER TABLE sparkify_field_counts RENAME COLUMN null_count TO nulls", default);
            await warehouse.QueryAsync("ALTER TABLE staging_field_counts RENAME COLUMN null_count TO nulls", default);
        }
        string[] old = ["sparkify_field_counts|nulls", "staging_field_counts|nulls"];
        Assert.Equal(old, await NullCountColumnsAsync(target));
        var renamed = AddRenamedDay(s, "userId", "user_id");

        // A stager creates nothing: it reads the history by its old column, and judges the renamed field against it.
        using (var stage = await RunToEndAsync(s, target, "stage", "--on-drift", "fail"))
            Assert.True(stage.ExitCode == 3, stage.Describe());
        Assert.NotNull(Assert.Single(Reports(s)[^1].Drift!.VanishedFields).HistoryShareAbsent);
        Assert.Equal(old, await NullCountColumnsAsync(target));

        // A load sets the tables up first: the history's column is renamed with its rows, the staging table remade.
        using (var stopped = await RunToEndAsync(s, target, "--batch", "--on-drift", "fail"))
            Assert.True(stopped.ExitCode == 3, stopped.Describe());
        Assert.NotNull(Assert.Single(Reports(s)[^1].Drift!.VanishedFields).HistoryShareAbsent);
        Assert.Equal(["sparkify_field_counts|null_count", "staging_field_counts|null_count"], await NullCountColumnsAsync(target));
        Assert.Equal(rows, await HistoryAsync(target));

        using var warned = await RunToEndAsync(s, target, "--batch");
        Assert.True(warned.ExitCode == 0, warned.Describe());
        Assert.Equal((RunStatus.Succeeded, 1), (Reports(s)[^1].Status, Reports(s)[^1].Files.Loaded));
        Assert.Contains($"userId|1|", string.Join("\n", await FieldCountsOfAsync(target, renamed)), StringComparison.Ordinal);
        Assert.Equal(rows, (await HistoryAsync(target)).Where(r => !r.StartsWith(renamed + "|", StringComparison.Ordinal)));
    }
}
