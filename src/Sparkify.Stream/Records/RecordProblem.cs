namespace Sparkify.Stream.Records;

/// <summary>The first rule a record breaks, while its fields are read in file order (table order decides: docs/semantics.md#validation-rules).</summary>
/// <remarks>Each rule has a rank, its row in the table; a problem of lower rank replaces the one held.</remarks>
internal struct RecordProblem
{
    /// <summary>The rank of a string whose <c>\u</c> escapes do not make valid Unicode: ahead of every other rule, like invalid UTF-8.</summary>
    public const int InvalidUnicodeRank = -1;

    public int Rank { get; private set; }
    public string? Reason { get; private set; }
    public string? Field { get; private set; }
    public string? Message { get; private set; }

    public readonly bool Found => Reason is not null;

    /// <summary>Whether a problem of <paramref name="rank"/> would replace the one held (so its message is worth building).</summary>
    public readonly bool Wants(int rank) => Reason is null || rank < Rank;

    public void Offer(int rank, string reason, string? field, string message)
    {
        if (!Wants(rank)) return;
        Rank = rank;
        Reason = reason;
        Field = field;
        Message = message;
    }
}
