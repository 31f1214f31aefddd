using System.Globalization;

namespace Sparkify.Stream.Generation;

/// <summary>Writes one NDJSON file per day, <c>log_data/YYYY/MM/YYYY-MM-DD-events.json</c>, without a trailing newline.</summary>
/// <remarks>
/// Day d holds Events/Days lines (the first Events mod Days days one more), duplicates included, so the files
/// hold exactly <see cref="GeneratorOptions.Events"/> lines. A day of 200 lines or more repeats 0.2% of its
/// lines within the file (0–3 lines later) and, if the next day has 200 lines or more, copies 0.1% of its last
/// lines into the first lines of the next day's file (a late delivery: the only lines whose ts is not in
/// their file's day). Days are simulated in order, in chunks of at most <see cref="ChunkEvents"/> events.
/// </remarks>
internal sealed class LogFileWriter(GeneratorOptions options, SongCatalogue catalogue, UserPool users)
{
    public const int ChunkEvents = 250_000;
    private const int DuplicatesFrom = 200;

    /// <summary>Writes every day's file; returns the lines and the bytes on disk.</summary>
    public (long Lines, long Bytes) WriteAll(string logRoot, CancellationToken ct)
    {
        var bad = options.BadLines > 0 ? new BadLines(options) : null;
        var simulator = new SessionSimulator(catalogue, users, new SimulationState(users.Count));
        IEventLineFormatter formatter = options.Realism == Realism.Messy
            ? new MessyEventLineFormatter(catalogue, users)
            : new EventLineFormatter(catalogue, users);
        var crlf = CrlfDays(options);
        List<byte[]> carried = [];
        long lines = 0, bytes = 0;
        for (var day = 0; day < options.Days; day++)
        {
            ct.ThrowIfCancellationRequested();
            var date = options.Start.AddDays(day);
            var folder = Path.Combine(logRoot, date.ToString("yyyy", CultureInfo.InvariantCulture), date.ToString("MM", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, OutputFile.Name(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "-events.json", options.Gzip));
            var file = new OutputFile(path, options.Gzip, bufferSize: 4096);
            try
            {
                var sink = new LineSink(file.Body, bad?.ForDay(day, Quota(options, day)), crlf.Contains(day) ? "\r\n"u8.ToArray() : null);
                carried = WriteDay(day, carried, simulator, formatter, sink, ct);
                sink.Finish();
                lines += sink.Lines;
            }
            finally
            {
                file.Dispose();
            }
            bytes += file.BytesOnDisk;
        }
        return (lines, bytes);
    }

    /// <summary>Lines of day <paramref name="day"/>'s file, duplicates included.</summary>
    public static int Quota(GeneratorOptions options, int day) =>
        options.Events / options.Days + (day < options.Events % options.Days ? 1 : 0);

    /// <summary>
    /// The days whose file has CRLF line ends: none in the clean shape; in the messy one
    /// <see cref="MessyRates.CrlfLogFiles"/> of the days (rounded, at least one), drawn from their own stream.
    /// </summary>
    public static HashSet<int> CrlfDays(GeneratorOptions options)
    {
        if (options.Realism != Realism.Messy) return [];
        var count = Math.Max(1, (int)Math.Round(options.Days * MessyRates.CrlfLogFiles));
        return Positions(count, 0, options.Days, Seeds.Create(options.Seed, RandomStream.Messy));
    }

    // Returns the lines to repeat in the next day's file.
    private List<byte[]> WriteDay(
        int day, List<byte[]> carriedIn, SessionSimulator simulator, IEventLineFormatter formatter, LineSink sink, CancellationToken ct)
    {
        var rng = Seeds.Create(options.Seed, RandomStream.Day, day);
        var quota = Quota(options, day);
        var nextQuota = day + 1 < options.Days ? Quota(options, day + 1) : 0;
        var sameDay = quota >= DuplicatesFrom ? Math.Max(1, (int)Math.Round(quota * 0.002)) : 0;
        var unique = quota - carriedIn.Count - sameDay;
        var carryOut = quota >= DuplicatesFrom && nextQuota >= DuplicatesFrom ? Math.Max(1, (int)Math.Round(quota * 0.001)) : 0;
        var tail = Math.Min(unique, 64);
        var duplicates = Positions(sameDay, 0, unique, rng);
        var carries = Positions(Math.Min(carryOut, tail), unique - tail, unique, rng);
        var carriedAfter = new int[carriedIn.Count];
        for (var i = 0; i < carriedAfter.Length; i++) carriedAfter[i] = rng.Next(Math.Min(unique, 20) + 1);
        Array.Sort(carriedAfter);

        var dayStart = UserPool.EpochMs(options.Start.AddDays(day));
        var chunks = Math.Max(1, (unique + ChunkEvents - 1) / ChunkEvents);
        var line = new Utf8Builder();
        var pending = new List<(int ReleaseAfter, byte[] Line)>();
        List<byte[]> carriedOut = [];
        int index = 0, nextCarriedIn = 0;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            ct.ThrowIfCancellationRequested();
            var windowStart = dayStart + chunk * UserPool.DayMs / chunks;
            var windowEnd = dayStart + (chunk + 1) * UserPool.DayMs / chunks;
            var count = unique / chunks + (chunk < unique % chunks ? 1 : 0);
            var events = simulator.Simulate(windowStart, windowEnd, count, Seeds.Create(options.Seed, RandomStream.Chunk, day, chunk));
            foreach (ref readonly var e in events.AsSpan())
            {
                while (nextCarriedIn < carriedIn.Count && carriedAfter[nextCarriedIn] == index) sink.Write(carriedIn[nextCarriedIn++]);
                line.Clear();
                formatter.Format(e, line);
                sink.Write(line.Written);
                if (duplicates.Contains(index)) pending.Add((index + rng.Next(4), line.ToArray()));
                if (carries.Contains(index)) carriedOut.Add(line.ToArray());
                Release(pending, index, sink);
                index++;
            }
        }
        while (nextCarriedIn < carriedIn.Count) sink.Write(carriedIn[nextCarriedIn++]);
        Release(pending, int.MaxValue, sink);
        return carriedOut;
    }

    private static void Release(List<(int ReleaseAfter, byte[] Line)> pending, int index, LineSink sink)
    {
        if (pending.Count == 0) return;
        foreach (var (releaseAfter, line) in pending)
            if (releaseAfter <= index) sink.Write(line);
        pending.RemoveAll(p => p.ReleaseAfter <= index);
    }

    private static HashSet<int> Positions(int count, int from, int to, Random rng)
    {
        var positions = new HashSet<int>();
        count = Math.Min(count, to - from);
        while (positions.Count < count) positions.Add(from + rng.Next(to - from));
        return positions;
    }

    /// <summary>
    /// Joins lines with <c>\n</c> (or <paramref name="lineEnd"/>; none after the last) and writes them in large blocks;
    /// with a bad-line schedule, puts each bad line before the good line it was scheduled for.
    /// </summary>
    private sealed class LineSink(System.IO.Stream body, DaySchedule? bad = null, byte[]? lineEnd = null)
    {
        private const int BlockSize = 1 << 20;
        private readonly Utf8Builder _block = new(BlockSize + 4096);
        private int _nextBad;
        private bool _any;

        /// <summary>Good lines written (bad lines are not counted).</summary>
        public long Lines { get; private set; }

        public void Write(ReadOnlySpan<byte> line)
        {
            if (bad is not null) WriteBad(Lines);
            Append(line);
            Lines++;
        }

        /// <summary>Writes what is left of the schedule, then everything buffered.</summary>
        public void Finish()
        {
            if (bad is not null)
            {
                WriteBad(long.MaxValue);
                if (bad.LastLine is { } last) Append(last);
            }
            body.Write(_block.Written);
            _block.Clear();
        }

        private void WriteBad(long before)
        {
            if (bad!.Prefix is { } prefix && !_any && _block.Length == 0) _block.Append(prefix);
            while (_nextBad < bad.Lines.Count && bad.Lines[_nextBad].Before <= before) Append(bad.Lines[_nextBad++].Line);
        }

        private void Append(ReadOnlySpan<byte> line)
        {
            if (_any)
            {
                if (lineEnd is null) _block.Append((byte)'\n');
                else _block.Append(lineEnd);
            }
            _any = true;
            _block.Append(line);
            if (_block.Length >= BlockSize)
            {
                body.Write(_block.Written);
                _block.Clear();
            }
        }
    }
}
