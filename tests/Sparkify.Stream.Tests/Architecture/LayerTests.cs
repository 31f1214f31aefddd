using NetArchTest.Rules;
using Sparkify.Stream.Generation;

namespace Sparkify.Stream.Tests.Architecture;

/// <summary>
/// The folders of src/Sparkify.Stream are layers, and each namespace uses only the root and the layers before it
/// (docs/architecture.md, "Layout"):
/// <code>
///   (root)         SparkifyException, ExitCodes, Secrets: what every layer shares; uses no layer
///   Sources        IObjectSource (local folder, S3), RecordKind, DateRange; gzip verification; S3 reads, faults, retries
///   Records        SongRecord, LogEvent, Reject; the column tables and RecordBatch; parsing and validation
///   Pipeline       the Dataflow graph: fetch → parse → the sinks it declares (IStagingSink, ITableSink)
///   Staging        Parquet parts, COPY manifests, IStagingStore (local folder, S3); StagingSink implements the sinks
///   Warehouse      IWarehouse: DuckDB, Postgres, Redshift; load, merge, ledger, checks
///   Configuration  SparkifyOptions: dwh.cfg + environment + command line, validated once (the stages keep their own
///                  options records; only what composes them reads this)
///   Jobs           what spans the stages: RunJob (plan → pipeline → staging → load → report.json), staging retention
///   Doctor         `sparkify doctor`: the real writer, COPY and merge on probe data, rolled back
///   Cli            commands and console output; opens the infrastructure (the one place that names concrete types)
/// </code>
/// The synthetic data generator is a project of its own (src/Sparkify.Stream.Generation), beside the run: it uses
/// nothing of the product, and of the product only Cli (`sparkify generate`) uses it.
/// A stage that needs something of a later one declares the interface and the later one implements it (the
/// pipeline's <c>IStagingSink</c>, implemented by Staging's <c>StagingSink</c>, composed by <c>RunJob</c>). A
/// capability is asked of an interface (<c>IStagingStore.LocalPathOf</c>, <c>.S3Location</c>), never by testing for a
/// concrete type. Staging and Warehouse may use Sources' S3 plumbing (S3Uri, S3Faults, S3ReadStream, Resilience):
/// Sources comes first, and one fault classification for every S3 call is the point.
/// </summary>
public sealed class LayerTests
{
    private const string Root = "Sparkify.Stream";

    /// <summary>The layers, first to last: a namespace may use the root and the layers before its own.</summary>
    public static readonly string[] Layers =
        ["Sources", "Records", "Pipeline", "Staging", "Warehouse", "Configuration", "Jobs", "Doctor", "Cli"];

    public static TheoryData<string> LayerNames => [.. Layers];

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void A_layer_uses_no_later_layer(string layer)
    {
        var violations = LayerRule.Violations(typeof(SparkifyException).Assembly, Root, Layers, layer, []);
        Assert.True(violations.Count == 0, LayerRule.Describe(Root, Layers, layer, violations));
    }

    [Fact]
    public void The_shared_root_uses_no_layer()
    {
        var violations = LayerRule.Violations(typeof(SparkifyException).Assembly, Root, ["", .. Layers], "", []);
        Assert.True(violations.Count == 0, LayerRule.Describe(Root, Layers, "", violations));
    }

    [Fact]
    public void Every_namespace_is_the_root_or_in_a_layer()
    {
        var unplaced = typeof(SparkifyException).Assembly.GetTypes()
            .Select(t => t.Namespace)
            .Where(ns => ns is not null && (ns == Root || ns.StartsWith(Root + ".", StringComparison.Ordinal)))
            .Distinct()
            .Where(ns => ns != Root && LayerRule.LayerOf(Root, Layers, ns!) is null)
            .ToList();
        Assert.True(unplaced.Count == 0,
            $"namespaces in no layer: {string.Join(", ", unplaced)}. Place each folder in LayerTests.Layers (and the Layout of docs/architecture.md).");
    }

    [Fact]
    public void Only_the_cli_uses_the_generator()
    {
        // The generator's own types (not the compiler's, which every assembly names alike).
        string[] generator = [.. typeof(DataGenerator).Assembly.GetTypes()
            .Where(t => !t.IsNested && t.Namespace == typeof(DataGenerator).Namespace)
            .Select(t => t.FullName!)];
        Assert.NotEmpty(generator);
        var result = Types.InAssembly(typeof(SparkifyException).Assembly)
            .That().ResideInNamespace(Root + ".")
            .And().DoNotResideInNamespace(LayerRule.Namespace(Root, "Cli") + ".")
            .ShouldNot().HaveDependencyOnAny(generator)
            .GetResult();
        Assert.True(result.IsSuccessful,
            $"only Cli (`sparkify generate`) may use the generator; these use it: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_generator_uses_nothing_of_the_product()
    {
        var product = typeof(SparkifyException).Assembly.GetName().Name;
        var references = typeof(DataGenerator).Assembly.GetReferencedAssemblies().Select(a => a.Name);
        Assert.DoesNotContain(product, references);
        Assert.NotEqual(typeof(SparkifyException).Assembly, typeof(DataGenerator).Assembly);
    }

    [Fact]
    public void The_rule_fails_for_a_backward_dependency_and_names_the_types()
    {
        // A tiny layered sample inside this test assembly (Architecture/Sample): Records → Staging, one Records type
        // reaching forward into Staging.
        var assembly = typeof(LayerTests).Assembly;
        const string root = "Sparkify.Stream.Tests.Architecture.Sample";
        string[] layers = ["Records", "Staging"];

        var violations = LayerRule.Violations(assembly, root, layers, "Records", []);

        var message = LayerRule.Describe(root, layers, "Records", violations);
        Assert.Equal([$"{root}.Records.ParserThatWritesParts"], violations.Keys);
        Assert.Equal([$"{root}.Staging.PartFile"], violations[$"{root}.Records.ParserThatWritesParts"]);
        Assert.Contains($"{root}.Records.ParserThatWritesParts uses {root}.Staging.PartFile", message, StringComparison.Ordinal);
        Assert.Empty(LayerRule.Violations(assembly, root, layers, "Staging", []));
        Assert.Empty(LayerRule.Violations(assembly, root, layers, "Records", [$"{root}.Staging.PartFile"]));
    }
}
