using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Tests.Sources;

/// <summary>`--shard I/N`: every key in exactly one shard, the same shard on every machine, and bad values refused.</summary>
public sealed class ShardTests
{
    /// <summary>Keys shaped like the ledger's: local song and log keys, full S3 URLs.</summary>
    private static IEnumerable<string> Keys(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return (i % 3) switch
            {
                0 => $"song_data/{(char)('A' + random.Next(26))}/{(char)('A' + random.Next(26))}/TR{random.Next():X8}.json",
                1 => $"log_data/2018/11/2018-11-{1 + random.Next(30):D2}-events.json",
                _ => $"s3://bucket-{random.Next(5)}/log_data/2018/{1 + random.Next(12):D2}/part-{i}.json.gz",
            };
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Shards_1_to_n_take_every_key_exactly_once_and_share_them_out(int n)
    {
        var keys = Keys(20_000, seed: n).Distinct().ToList();
        var shards = Enumerable.Range(1, n).Select(i => new Shard(i, n)).ToList();
        var taken = new int[n];
        foreach (var key in keys)
        {
            var owners = shards.Where(s => s.Owns(key)).ToList();
            Assert.True(owners.Count == 1, $"{key} is owned by {owners.Count} of {n} shards");
            Assert.Equal(Shard.Of(key, n), owners[0].Index);
            taken[owners[0].Index - 1]++;
        }
        // A fair hash: no shard gets far more or fewer than its share (20,000 keys: ±15 % is many sigmas).
        var share = (double)keys.Count / n;
        Assert.All(taken, t => Assert.InRange(t, share * 0.85, share * 1.15));
    }

    [Fact]
    public void The_shard_of_a_key_is_fixed_across_machines_processes_and_releases()
    {
        // XxHash3 (seed 0) of the UTF-8 key: values a change of hash, encoding or formula would break. Stagers of two
        // releases, or on two machines, must split the input the same way.
        var sample = new[] { "log_data/2018/11/2018-11-01-events.json", "song_data/A/B/C/TRABCEI128F424C983.json", "s3://b/k" };
        var expected = sample.Select(k => (int)(System.IO.Hashing.XxHash3.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(k)) % 7) + 1);
        Assert.Equal(expected, sample.Select(k => Shard.Of(k, 7)));
        Assert.Equal([1, 4, 7], sample.Select(k => Shard.Of(k, 7)));
    }

    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("2/3", 2, 3)]
    [InlineData(" 3/3 ", 3, 3)]
    [InlineData("100/100", 100, 100)]
    public void Parses_i_of_n(string text, int index, int count) =>
        Assert.Equal(new Shard(index, count), Shard.Parse(text, _ => null));

    [Theory]
    [InlineData("JOB_COMPLETION_INDEX")]
    [InlineData("AWS_BATCH_JOB_ARRAY_INDEX")]
    public void Auto_reads_the_zero_based_index_of_a_kubernetes_indexed_job_or_an_aws_batch_array_job(string variable)
    {
        Assert.Equal(new Shard(1, 4), Shard.Parse("auto/4", v => v == variable ? "0" : null));
        Assert.Equal(new Shard(4, 4), Shard.Parse("auto/4", v => v == variable ? "3" : null));
        var outOfRange = Assert.Throws<ConfigurationException>(() => Shard.Parse("auto/4", v => v == variable ? "4" : null));
        Assert.Contains($"{variable}=4 is not a 0-based index below 4", outOfRange.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_without_either_variable_says_which_it_reads()
    {
        var error = Assert.Throws<ConfigurationException>(() => Shard.Parse("auto/4", _ => null));
        Assert.Contains("JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }

    [Theory]
    [InlineData("0/3", "I must be a whole number from 1 to N (3)")]
    [InlineData("4/3", "I must be a whole number from 1 to N (3)")]
    [InlineData("x/3", "I must be a whole number from 1 to N (3)")]
    [InlineData("-1/3", "I must be a whole number from 1 to N (3)")]
    [InlineData("1/0", "N must be a whole number from 1")]
    [InlineData("1/x", "N must be a whole number from 1")]
    [InlineData("3", "N must be a whole number from 1")]
    [InlineData("1/2/3", "N must be a whole number from 1")]
    public void Bad_values_are_refused_with_what_is_expected(string text, string why)
    {
        var error = Assert.Throws<ConfigurationException>(() => Shard.Parse(text, _ => null));
        Assert.Contains($"--shard '{text}' is not valid: expected I/N (1 ≤ I ≤ N) or auto/N", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }
}
