namespace Sparkify.Stream.Generation;

/// <summary>The shape of the data <c>sparkify generate</c> writes (<c>--realism</c>).</summary>
public enum Realism
{
    /// <summary>The generator's original shape (the committed sample; every benchmark figure before issue 17).</summary>
    Clean,

    /// <summary>Spelled as the real Udacity files are, at the rates of <see cref="MessyRates"/>.</summary>
    Messy,
}

/// <summary>What <c>sparkify generate</c> makes: a song catalogue and a run of daily log files (the input formats of docs/semantics.md#inputs).</summary>
/// <param name="OutDir">Folder that receives <c>song_data/</c> and <c>log_data/</c>; files with the same names are overwritten, others are left alone.</param>
public sealed record GeneratorOptions(string OutDir)
{
    public static readonly DateOnly DefaultStart = new(2018, 11, 1);

    /// <summary>Song files to write, one song each (default 200).</summary>
    public int Songs { get; init; } = 200;

    /// <summary>Event lines to write over all log files, duplicated lines included (default 10,000).</summary>
    public int Events { get; init; } = 10_000;

    /// <summary>Registered users (distinct non-empty user ids) the events are spread over (default 100).</summary>
    public int Users { get; init; } = 100;

    /// <summary>Log files to write, one per day from <see cref="Start"/> (default 3).</summary>
    public int Days { get; init; } = 3;

    /// <summary>Date of the first log file, UTC (default 2018-11-01).</summary>
    public DateOnly Start { get; init; } = DefaultStart;

    /// <summary>Same seed and options give byte-identical files (default 42).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Write <c>.json.gz</c> (gzip of the same bytes) instead of <c>.json</c>.</summary>
    public bool Gzip { get; init; }

    /// <summary>
    /// Bad lines of each bad class to mix into the log files, plus a few bad song files (default 0: none, and the
    /// output is byte for byte what it is without this option). See <see cref="Generation.BadLines"/>.
    /// </summary>
    public int BadLines { get; init; }

    /// <summary>
    /// The data's shape (default <see cref="Generation.Realism.Clean"/>); <see cref="Generation.Realism.Messy"/> writes the
    /// same events spelled as the real files are (see <see cref="MessyRates"/>).
    /// </summary>
    public Realism Realism { get; init; }

    /// <summary>The <c>--realism</c> value for <paramref name="text"/> (<c>clean</c> or <c>messy</c>, any case); throws <see cref="ArgumentException"/> otherwise.</summary>
    public static Realism ParseRealism(string text) => text.ToUpperInvariant() switch
    {
        "CLEAN" => Realism.Clean,
        "MESSY" => Realism.Messy,
        _ => throw new ArgumentException($"--realism must be clean or messy (got '{text}')"),
    };

    private static readonly DateOnly FirstDate = new(2000, 1, 1);
    private static readonly DateOnly EndDate = new(2100, 1, 1);

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line message for the first bad value; returns this.</summary>
    public GeneratorOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(OutDir)) Fail("--out must name a folder");
        if (Songs < 0) Fail($"--songs must be 0 or more (got {Songs})");
        if (Events < 0) Fail($"--events must be 0 or more (got {Events})");
        if (Users < 1) Fail($"--users must be 1 or more (got {Users})");
        if (Users > 1_000_000) Fail($"--users must be at most 1,000,000 (got {Users})");
        if (BadLines is < 0 or > 10_000) Fail($"--bad-lines must be 0 to 10,000 (got {BadLines})");
        if (!Enum.IsDefined(Realism)) Fail($"--realism must be clean or messy (got {(int)Realism})");
        if (Days < 1) Fail($"--days must be 1 or more (got {Days})");
        if (Start < FirstDate) Fail($"--start must be 2000-01-01 or later (got {Start:yyyy-MM-dd})");
        if (Days > EndDate.DayNumber - Start.DayNumber)
            Fail($"--start {Start:yyyy-MM-dd} with --days {Days} runs past 2099-12-31");
        return this;
    }

    private static void Fail(string message) => throw new ArgumentException(message);
}
