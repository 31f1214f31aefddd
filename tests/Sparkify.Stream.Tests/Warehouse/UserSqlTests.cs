using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Warehouse;

/// <summary>
/// `query --sql` takes one statement: a second could leave the read-only transaction (`COMMIT; DROP TABLE songplays`).
/// Semicolons in literals, quoted names, dollar quotes and comments are not statement ends; trailing ones are dropped.
/// </summary>
public sealed class UserSqlTests
{
    [Theory]
    [InlineData("SELECT 1", "SELECT 1")]
    [InlineData("  SELECT 1 ;; \n", "SELECT 1")]
    [InlineData("SELECT ';' AS x; -- the end; really", "SELECT ';' AS x")]
    [InlineData("SELECT 'it''s; fine'", "SELECT 'it''s; fine'")]
    [InlineData("SELECT E'a\\';b'", "SELECT E'a\\';b'")]
    [InlineData("SELECT \"odd;name\" FROM t", "SELECT \"odd;name\" FROM t")]
    [InlineData("SELECT $$a;b$$, $tag$ ; $$ ; $tag$", "SELECT $$a;b$$, $tag$ ; $$ ; $tag$")]
    [InlineData("SELECT 1 /* ; /* nested ; */ still ; */", "SELECT 1 /* ; /* nested ; */ still ; */")]
    [InlineData("-- a note; with a semicolon\nSELECT 2;\n/* done */", "-- a note; with a semicolon\nSELECT 2")]
    public void One_statement_is_taken_without_its_trailing_semicolons(string sql, string statement) =>
        Assert.Equal(statement, UserSql.SingleStatement(sql));

    [Theory]
    [InlineData("COMMIT; DROP TABLE songplays", 1, 9)]
    [InlineData("SELECT 1;\nSELECT 2", 2, 1)]
    [InlineData("SELECT 'a;'; /* c */ DELETE FROM users", 1, 22)]
    [InlineData("SELECT $1; DELETE FROM users", 1, 12)]
    [InlineData("SELECT 'it''s'; DELETE FROM users", 1, 17)]
    [InlineData("SELECT E'\\''; DELETE FROM users", 1, 15)]
    public void A_second_statement_is_refused_naming_where_it_starts(string sql, int line, int column)
    {
        var e = Assert.Throws<ConfigurationException>(() => UserSql.SingleStatement(sql));
        Assert.Equal($"--sql takes one statement, and a second one starts at line {line}, column {column}: run each on its own", e.Message);
        Assert.Equal(2, e.ExitCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ;  ; ")]
    [InlineData("-- only a comment")]
    [InlineData("/* only */ ;")]
    public void No_statement_at_all_is_refused(string sql) =>
        Assert.StartsWith("--sql is empty", Assert.Throws<ConfigurationException>(() => UserSql.SingleStatement(sql)).Message, StringComparison.Ordinal);
}
