namespace Sparkify.Stream.Generation;

/// <summary>When a user's level flips between free and paid; at most two flips (up or down, and sometimes back).</summary>
internal readonly record struct LevelTimeline(bool PaidAtStart, long FirstChange, long SecondChange)
{
    public bool PaidAt(long ts) => PaidAtStart ^ (ts >= FirstChange) ^ (ts >= SecondChange);

    /// <summary>The first change in <c>(after, upTo]</c>, or null.</summary>
    public long? ChangeIn(long after, long upTo) =>
        FirstChange > after && FirstChange <= upTo ? FirstChange
        : SecondChange > after && SecondChange <= upTo ? SecondChange
        : null;
}

/// <summary>A registered user: what the logs repeat on each of the user's logged-in events.</summary>
internal sealed record GeneratedUser(
    int UserId, string FirstName, string LastName, string Gender, string Location, string UserAgent,
    long Registration, LevelTimeline Levels);

/// <summary>The registered users, and who is likely to start the next session (a few users are much more active).</summary>
/// <remarks>
/// Ids are distinct, drawn from 1…1.25×count. 35% start paid; 30% change level once during the generated period
/// (a third of those change back); about one name in six is non-ASCII. Registration is 1–90 days before the first day.
/// </remarks>
internal sealed class UserPool
{
    private readonly double[] _cumulativeWeight;

    private UserPool(GeneratedUser[] users, double[] cumulativeWeight)
    {
        Users = users;
        _cumulativeWeight = cumulativeWeight;
    }

    public GeneratedUser[] Users { get; }

    public int Count => Users.Length;

    /// <summary>A user index, weighted by activity.</summary>
    public int PickActive(Random rng)
    {
        var target = rng.NextDouble() * _cumulativeWeight[^1];
        var index = Array.BinarySearch(_cumulativeWeight, target);
        return index >= 0 ? index : Math.Min(~index, _cumulativeWeight.Length - 1);
    }

    public static UserPool Build(GeneratorOptions options)
    {
        var rng = Seeds.Create(options.Seed, RandomStream.Users);
        var periodStart = EpochMs(options.Start);
        var periodLength = options.Days * DayMs;
        var ids = DistinctIds(options.Users, rng);
        var users = new GeneratedUser[options.Users];
        var cumulative = new double[options.Users];
        var total = 0d;
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = NewUser(ids[i], periodStart, periodLength, rng);
            total += 1 / Math.Pow(i + 1, 0.7);
            cumulative[i] = total;
        }
        return new UserPool(users, cumulative);
    }

    public const long DayMs = 86_400_000;

    public static long EpochMs(DateOnly date) => (long)(date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber) * DayMs;

    private static GeneratedUser NewUser(int id, long periodStart, long periodLength, Random rng)
    {
        var female = rng.NextDouble() < 0.5;
        var firstNames = female ? Vocabulary.FirstNamesFemale : Vocabulary.FirstNamesMale;
        var agent = SongCatalogue.Pick(Vocabulary.UserAgents, rng);
        // The real logs carry literal quotes around user agents that contain a comma (a CSV export's quoting).
        if (agent.Contains(',', StringComparison.Ordinal)) agent = $"\"{agent}\"";
        var registration = periodStart - (long)((1 + rng.NextDouble() * 89) * DayMs);
        return new GeneratedUser(
            id, SongCatalogue.Pick(firstNames, rng), SongCatalogue.Pick(Vocabulary.LastNames, rng), female ? "F" : "M",
            SongCatalogue.Pick(Vocabulary.UserLocations, rng), agent, registration, Levels(periodStart, periodLength, rng));
    }

    private static LevelTimeline Levels(long periodStart, long periodLength, Random rng)
    {
        var paid = rng.NextDouble() < 0.35;
        if (rng.NextDouble() >= 0.30) return new LevelTimeline(paid, long.MaxValue, long.MaxValue);
        var first = periodStart + (long)((0.1 + 0.7 * rng.NextDouble()) * periodLength);
        var second = rng.NextDouble() < 1 / 3d
            ? first + (long)((periodStart + periodLength - first) * (0.2 + 0.6 * rng.NextDouble()))
            : long.MaxValue;
        return new LevelTimeline(paid, first, second);
    }

    private static int[] DistinctIds(int count, Random rng)
    {
        var pool = new int[count + count / 4 + 1];
        for (var i = 0; i < pool.Length; i++) pool[i] = i + 1;
        for (var i = 0; i < count; i++)
        {
            var j = i + rng.Next(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..count];
    }
}
