using System.Globalization;

namespace Sparkify.Stream.Configuration;

/// <summary><c>--max-rejects N</c> (a count) or <c>P%</c> (a share of the records read); default 1%.</summary>
internal sealed record RejectLimit(long? Count, double? Percent)
{
    public static readonly RejectLimit Default = new(null, 1.0);

    public static RejectLimit Parse(string text)
    {
        var value = text.Trim();
        if (value.EndsWith('%'))
        {
            if (double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var p)
                && p is >= 0 and <= 100)
                return new RejectLimit(null, p);
        }
        else if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return new RejectLimit(n, null);
        }
        throw new ConfigurationException($"--max-rejects must be a count (e.g. 100) or a percentage (e.g. 1%), not '{text}'");
    }

    /// <summary>Whether <paramref name="rejected"/> of <paramref name="read"/> records is over the limit.</summary>
    public bool IsExceeded(long rejected, long read) =>
        Count is { } n ? rejected > n : rejected > read * (Percent ?? 0) / 100.0;

    public override string ToString() =>
        Count is { } n ? n.ToString(CultureInfo.InvariantCulture) : Percent!.Value.ToString(CultureInfo.InvariantCulture) + "%";
}
