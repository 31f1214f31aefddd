using System.Reflection;
using NetArchTest.Rules;

namespace Sparkify.Stream.Tests.Architecture;

/// <summary>
/// The layer rule, over any assembly (the app, or the sample in <see cref="LayerTests"/> that proves it can fail): the
/// types of one layer must not use a type of a later one. NetArchTest reads the compiled IL, so a full type name or a
/// <c>var</c> counts as much as a <c>using</c>.
/// </summary>
internal static class LayerRule
{
    /// <summary>A layer's namespace; the empty layer is the root itself (the shared base).</summary>
    public static string Namespace(string root, string layer) => layer.Length == 0 ? root : $"{root}.{layer}";

    /// <summary>The layer that holds <paramref name="ns"/> (its namespace or one below it), or null.</summary>
    public static string? LayerOf(string root, IEnumerable<string> layers, string ns) =>
        layers.FirstOrDefault(l => l.Length > 0
            && (ns == Namespace(root, l) || ns.StartsWith(Namespace(root, l) + ".", StringComparison.Ordinal)));

    /// <summary>
    /// The types of <paramref name="layer"/> that use a type of a later layer, each with the later types it uses
    /// (nested and compiler-generated types count as their outer type).
    /// </summary>
    /// <param name="allowed">Full names of later types this layer may use all the same (a temporary exemption).</param>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Violations(
        Assembly assembly, string root, IReadOnlyList<string> layers, string layer, IReadOnlyCollection<string> allowed)
    {
        var index = layers.ToList().IndexOf(layer);
        if (index < 0) throw new ArgumentException($"{layer} is not one of the layers", nameof(layer));
        var laterLayers = layers.Skip(index + 1).ToArray();
        var later = assembly.GetTypes()
            .Where(t => !t.IsNested && t.Namespace is { } ns && LayerOf(root, laterLayers, ns) is not null)
            .Select(t => t.FullName!)
            .Where(name => !allowed.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var empty = new Dictionary<string, IReadOnlyList<string>>();
        if (later.Length == 0) return empty;

        var types = Types.InAssembly(assembly);
        var result = Subjects(types, root, layers, layer).ShouldNot().HaveDependencyOnAny(later).GetResult();
        if (result.IsSuccessful) return empty;

        // Which later types each offender uses: asked type by type, only once the rule has failed.
        var uses = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var type in later)
        {
            var users = Subjects(types, root, layers, layer).ShouldNot().HaveDependencyOn(type).GetResult();
            foreach (var user in users.FailingTypeNames ?? [])
            {
                var outer = user.Split('/')[0];
                if (!uses.TryGetValue(outer, out var set)) uses[outer] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add(type);
            }
        }
        return uses.ToDictionary(u => u.Key, u => (IReadOnlyList<string>)[.. u.Value], StringComparer.Ordinal);
    }

    /// <summary>The failure message: the layer order, then each offending type with the later types it uses.</summary>
    public static string Describe(
        string root, IReadOnlyList<string> layers, string layer, IReadOnlyDictionary<string, IReadOnlyList<string>> violations)
    {
        var order = string.Join(" → ", layers.Where(l => l.Length > 0));
        var lines = violations.Select(v => $"  {v.Key} uses {string.Join(", ", v.Value)}");
        return $"{Namespace(root, layer)} uses a later layer (the order: {order}). Move the type to the layer it " +
               "belongs to, or declare here the interface it needs and let the later layer implement it:\n" +
               string.Join("\n", lines);
    }

    /// <summary>The layer's own types: its namespace and those below it (the root: what is in no layer).</summary>
    private static PredicateList Subjects(Types types, string root, IReadOnlyList<string> layers, string layer)
    {
        if (layer.Length > 0) return types.That().ResideInNamespace(Namespace(root, layer) + ".");
        var predicates = types.That().ResideInNamespace(root + ".");
        foreach (var other in layers.Where(l => l.Length > 0))
            predicates = predicates.And().DoNotResideInNamespace(Namespace(root, other) + ".");
        return predicates;
    }
}
