using DuckDB.NET.Data;
using DuckDB.NET.Native;
using Npgsql;

namespace Sparkify.Stream.Warehouse;

/// <summary>What kind of refusal a warehouse's error is, so a report can give the fix that fits it.</summary>
internal enum SqlFailureKind
{
    /// <summary>Anything else: a connection, a lock, a value, a server limit.</summary>
    Other,

    /// <summary>The server did not accept the statement's grammar (SQLSTATE 42601; DuckDB's parser error).</summary>
    Syntax,

    /// <summary>The user lacks a privilege (SQLSTATE 42501).</summary>
    Privilege,
}

internal static class SqlFailures
{
    /// <summary>SQLSTATE 42601: syntax_error (PostgreSQL's error codes, which Redshift keeps).</summary>
    public const string SyntaxError = "42601";

    /// <summary>SQLSTATE 42501: insufficient_privilege.</summary>
    public const string InsufficientPrivilege = "42501";

    /// <summary>The kind of <paramref name="failure"/> or of the first of its inner exceptions that has one.</summary>
    public static SqlFailureKind KindOf(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException { SqlState: SyntaxError }:
                case DuckDBException { ErrorType: DuckDBErrorType.Parser or DuckDBErrorType.Syntax }:
                    return SqlFailureKind.Syntax;
                case PostgresException { SqlState: InsufficientPrivilege }:
                    return SqlFailureKind.Privilege;
                case PostgresException or DuckDBException:
                    return SqlFailureKind.Other;
            }
        }
        return SqlFailureKind.Other;
    }

    /// <summary>Where <see cref="SqlWarehouse"/> keeps the first line of a refused statement on its exception.</summary>
    internal const string StatementKey = "sparkify.statement";

    /// <summary>The first line of the statement the server refused, or null when it is not known.</summary>
    public static string? StatementOf(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
            if (e.Data[StatementKey] is string statement) return statement;
        return null;
    }
}
