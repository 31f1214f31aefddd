namespace Sparkify.Stream.Tests.Semantics;

/// <summary>Order independence (docs/semantics.md#order-independence), property-style, on every target.</summary>
public abstract partial class StarSchemaSemantics
{
    /// <summary>
    /// Random permutations of the files, cut into random runs, with some files loaded again (rewritten with a new
    /// modification time, so the ledger sees a new version): every sequence gives the tables of one run over all.
    /// </summary>
    [Fact]
    public async Task Any_order_grouping_and_repetition_of_the_files_gives_the_tables_of_one_run_over_all()
    {
        var files = RandomDataSet.Build(seed: 20181101);
        var expected = await LoadInRunsAsync([[.. files]]);
        Assert.True(expected["songplays"].Count > 60, "the data set has plays");
        Assert.Contains(expected["songplays"], r => !r.Contains("|NULL|NULL|", StringComparison.Ordinal));
        Assert.Contains(expected["songplays"], r => r.Contains("|NULL|NULL|", StringComparison.Ordinal));
        Assert.Equal(6, expected["users"].Count);

        var rng = new Random(7);
        for (var trial = 0; trial < 4; trial++)
        {
            var order = files.OrderBy(_ => rng.Next()).ToList();
            var runs = new List<List<InputFile>>();
            for (var next = 0; next < order.Count;)
            {
                var run = order.Skip(next).Take(rng.Next(1, 5)).ToList();
                next += run.Count;
                var loaded = runs.SelectMany(r => r).Distinct().ToList();
                if (loaded.Count > 0 && rng.Next(3) == 0)
                    run.AddRange(loaded.OrderBy(_ => rng.Next()).Take(rng.Next(1, 3)));   // loaded again
                runs.Add(run);
            }
            var plan = string.Join(" | ", runs.Select(r => string.Join(", ", r.Select(f => Path.GetFileName(f.Path)))));
            TableAssert.Equal(expected, await LoadInRunsAsync(runs), $"trial {trial}: runs {plan}");
        }
    }

    /// <summary>Loads each group of files in its own run (the folder then holds only that group) into a fresh warehouse.</summary>
    private async Task<Dictionary<string, List<string>>> LoadInRunsAsync(IEnumerable<IReadOnlyList<InputFile>> runs)
    {
        using var s = new Scenario();
        await using var w = await OpenEmptyWarehouseAsync();
        foreach (var run in runs)
        {
            s.ClearInputs();
            foreach (var file in run) s.Touch(s.WriteInput(file.Path, file.Content));
            var report = await s.RunAsync(w);
            Assert.Equal(run.Count, report.Files.Loaded);
        }
        return await Tables.DumpAllAsync(w);
    }
}
