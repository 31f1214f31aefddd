namespace Sparkify.Stream.Warehouse;

/// <summary>The analytics team's questions, one SQL file each under Sql/&lt;dialect or common&gt;/queries.</summary>
internal sealed record NamedQuery(string Name, string Description)
{
    public string Sql(SqlScripts scripts, int limit) =>
        SqlText.Fill(scripts.Get("queries/" + Name), new Dictionary<string, string> { ["limit"] = SqlText.Integer(limit) });
}

internal static class NamedQueries
{
    public static IReadOnlyList<NamedQuery> All { get; } = Load();

    private static List<NamedQuery> Load()
    {
        var scripts = new SqlScripts("common");
        return [.. scripts.List("queries").Select(path =>
        {
            var name = path["queries/".Length..];
            var description = SqlScripts.Split(scripts.Get(path)).FirstOrDefault()?.Description ?? name;
            return new NamedQuery(name, description);
        })];
    }
}
