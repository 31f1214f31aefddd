using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Warehouse;

/// <summary>One file of the load ledger, as <c>sparkify files</c> lists it.</summary>
/// <param name="Key">The file's identity: <c>log_data/2018/11/2018-11-01-events.json</c>, or its S3 URL.</param>
/// <param name="Kind">"song" or "event", as stored.</param>
/// <param name="Version">Local files: size and modification time; S3: the ETag.</param>
/// <param name="Size">Bytes, as listed when it was loaded.</param>
/// <param name="RunId">The run that loaded this version.</param>
/// <param name="LoadedAt">When that run committed (UTC).</param>
internal sealed record LedgerFile(
    string Key, string Kind, string Version, long? Size, long? RecordsRead, long? RecordsValid, long? RecordsRejected,
    string RunId, DateTime LoadedAt);

/// <summary>Which ledger files <c>sparkify files</c> lists: one kind or all, loaded at or after a time or ever.</summary>
/// <param name="Since">UTC.</param>
internal sealed record LedgerFilter(RecordKind? Kind = null, DateTime? Since = null)
{
    public static LedgerFilter All { get; } = new();
}

/// <summary>The statements of <c>sparkify files</c> and <c>sparkify forget</c>, their values rendered by <see cref="SqlText"/>.</summary>
internal static class LedgerSql
{
    /// <summary>
    /// Keys per DELETE statement of <c>forget</c>: 500 keys of ~60 characters make a ~35 KB statement; of the longest S3
    /// URLs (a 1,024-byte key), ~530 KB, far below Redshift's 16 MB per statement (AWS, "DELETE").
    /// </summary>
    public const int KeysPerStatement = 500;

    /// <summary>The ledger query (Sql/common/ledger_files.sql) with the filter's values.</summary>
    public static string Files(SqlScripts scripts, LedgerFilter filter) =>
        SqlText.Fill(scripts.Get("ledger_files"), new Dictionary<string, string>
        {
            ["kind"] = filter.Kind is { } kind ? SqlText.Literal(kind.Name()) : "NULL",
            ["since"] = filter.Since is { } since ? SqlText.Timestamp(since) : "NULL",
        });

    /// <summary>Sql/common/forget.sql once per chunk of at most <see cref="KeysPerStatement"/> keys, each a string literal.</summary>
    /// <remarks>
    /// A key that is not <see cref="SqlText.IsPlain"/> (a backslash, which Redshift reads as an escape in a literal, or a
    /// control character) is refused (exit 2) before anything is sent: such a key came from a source listing, and could
    /// end its literal early. Local keys never hold one (their separator is '/'); an S3 key may.
    /// </remarks>
    public static IEnumerable<string> Forget(SqlScripts scripts, IReadOnlyCollection<string> keys)
    {
        if (keys.FirstOrDefault(k => !SqlText.IsPlain(k)) is { } refused)
        {
            throw new ConfigurationException(
                $"cannot forget {refused.ReplaceLineEndings(" ")}: a key holding a backslash or a control character cannot be " +
                "written into SQL safely on every target; nothing forgotten");
        }
        var script = scripts.Get("forget");
        return keys.Chunk(KeysPerStatement).Select(chunk => SqlText.Fill(script,
            new Dictionary<string, string> { ["keys"] = SqlText.Literals(chunk) }));
    }
}
