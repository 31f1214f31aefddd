namespace Sparkify.Stream.Records;

/// <summary>The result of parsing one record: the typed record, or the reject that says why not.</summary>
internal readonly record struct ParseOutcome<T>(T? Record, Reject? Reject) where T : class
{
    public static ParseOutcome<T> Ok(T record) => new(record, null);
    public static ParseOutcome<T> Fail(Reject reject) => new(null, reject);
    public bool IsValid => Record is not null;
}
