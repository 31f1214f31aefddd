using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Sparkify.Stream.Sources;

/// <summary>
/// <c>--shard I/N</c>: the part of the input one of N stagers takes. A file belongs to shard
/// <c>XxHash3(key) mod N + 1</c>: a stable hash of the ledger key (UTF-8, seed 0), the same on every machine, every
/// day and every release, so N stagers listing the same sources take every file exactly once between them.
/// </summary>
/// <param name="Index">1-based: 1 ≤ Index ≤ Count.</param>
internal sealed record Shard(int Index, int Count)
{
    /// <summary>The whole input (no <c>--shard</c>).</summary>
    public static readonly Shard All = new(1, 1);

    /// <summary>The environment variables <c>auto/N</c> reads, first found wins; both hold a 0-based index.</summary>
    public static readonly IReadOnlyList<string> IndexVariables = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"];

    /// <summary>The largest N accepted (a bound, not a tuning: more stagers than this is a typo).</summary>
    public const int MaxCount = 100_000;

    public bool IsAll => Count == 1;

    /// <summary>Whether the file with this ledger key is this shard's.</summary>
    public bool Owns(string key) => Count == 1 || Of(key, Count) == Index;

    /// <summary>The 1-based shard of <paramref name="key"/> among <paramref name="count"/>.</summary>
    public static int Of(string key, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(key));
        return (int)(hash % (ulong)count) + 1;
    }

    /// <summary>"2/3", as the command line and package.json spell it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>
    /// Parses <c>I/N</c> (1 ≤ I ≤ N) or <c>auto/N</c>, whose index is read (0-based) from the first of
    /// <see cref="IndexVariables"/> that is set. A bad value is a <see cref="ConfigurationException"/> (exit 2).
    /// </summary>
    /// <param name="environment">Looks an environment variable up (tests pass their own).</param>
    public static Shard Parse(string text, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var parts = text.Trim().Split('/');
        if (parts.Length != 2 || !TryNumber(parts[1], out var count) || count < 1 || count > MaxCount)
            throw Bad(text, $"N must be a whole number from 1 to {MaxCount:N0}");
        int index;
        if (string.Equals(parts[0], "auto", StringComparison.OrdinalIgnoreCase))
        {
            var variable = IndexVariables.FirstOrDefault(v => !string.IsNullOrWhiteSpace(environment(v)));
            if (variable is null)
            {
                throw Bad(text, $"auto reads the 0-based index from {string.Join(" or ", IndexVariables)}, " +
                                "and neither is set (a Kubernetes Indexed Job or an AWS Batch array job sets one)");
            }
            var value = environment(variable)!;
            if (!TryNumber(value, out var zeroBased) || zeroBased >= count)
                throw Bad(text, $"{variable}={value} is not a 0-based index below {count}");
            index = zeroBased + 1;
        }
        else if (!TryNumber(parts[0], out index) || index < 1 || index > count)
        {
            throw Bad(text, $"I must be a whole number from 1 to N ({count}); shards are numbered from 1");
        }
        return new Shard(index, count);
    }

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static ConfigurationException Bad(string text, string why) =>
        new($"--shard '{text}' is not valid: expected I/N (1 ≤ I ≤ N) or auto/N; {why}");
}
