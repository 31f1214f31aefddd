using Parquet;
using Sparkify.Stream.Doctor;
using Sparkify.Stream.Records;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Semantics;

public abstract partial class StarSchemaSemantics
{
    [Fact]
    public async Task Field_counts_an_older_release_staged_under_the_column_name_nulls_are_loaded_into_null_count()
    {
        // The staging an older release wrote: its field-count parts name the null count "nulls" (a reserved word on
        // Redshift, since renamed); a package of it may still wait to be loaded.
        var current = FieldCountColumns.Table;
        var old = new StagingTable(current.Name, current.RecordKind,
            [.. current.Columns.Select(c => c.FormerName is { } former ? c with { Name = former, FormerName = null } : c)]);
        var probe = new DoctorProbe("old-release");
        var dir = Directory.CreateTempSubdirectory("sparkify-old-package-").FullName;
        try
        {
            var store = new LocalStagingStore(Path.Combine(dir, "staging"));
            var manifests = new List<string>();
            var oldCounts = new RecordBatch(old);
            foreach (var count in probe.FieldCounts) oldCounts.Add(count);
            foreach (var staged in probe.Staged.Select(b => ReferenceEquals(b.Table, current) ? oldCounts : b))
            {
                await using var writer = new ParquetPartWriter(staged.Table, store, "runs/old-release", dir, new PartOptions());
                await writer.AddAsync(staged, CancellationToken.None);
                manifests.Add((await writer.CompleteAsync(CancellationToken.None)).ManifestPath);
            }
            var part = Directory.EnumerateFiles(Path.Combine(dir, "staging", "runs", "old-release", current.Name), "*.parquet").Single();
            await using (var stream = File.OpenRead(part))
            await using (var reader = await ParquetReader.CreateAsync(stream))
                Assert.Contains("nulls", reader.Schema.DataFields.Select(f => f.Name));

            await using var w = await OpenEmptyWarehouseAsync();
            await w.CreateTablesAsync(drop: false, CancellationToken.None);
            await w.LoadAsync(new LoadRequest("old-release", store,
                [new PackageManifests(manifests[0], manifests[1], manifests[2], manifests[3])]), CancellationToken.None);

            var loaded = await w.QueryAsync(
                "SELECT source_key, field, missing, null_count, seen FROM sparkify_field_counts ORDER BY source_key, field", default);
            Assert.Equal(
                probe.FieldCounts.OrderBy(f => f.SourceKey, StringComparer.Ordinal).ThenBy(f => f.Field, StringComparer.Ordinal)
                    .Select(f => $"{f.SourceKey}|{f.Field}|{f.Missing}|{f.Nulls}|{f.Seen}"),
                loaded.Rows.Select(r => string.Join("|", r)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
