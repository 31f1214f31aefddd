using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Pipeline;

/// <summary>Parses and validates one chunk: typed records or rejects with their reason; returns the chunk's buffer.</summary>
internal sealed class ParseStage(
    LogEventParser logParser, SongFileParser songParser, RunAccounting accounting, BatchPool batches)
{
    // Shared empty batches for the other kind's side of a chunk: never added to (a chunk holds files of one kind).
    private static readonly RecordBatch NoEvents = new(EventColumns.Table, 0), NoSongs = new(SongColumns.Table, 0);

    public ParsedChunk Parse(FileChunk chunk)
    {
        var file = chunk.File;
        var events = file.Kind == RecordKind.Event ? batches.Rent() : NoEvents;
        var songs = file.Kind == RecordKind.Song ? new RecordBatch(SongColumns.Table, 64) : NoSongs;
        var rejects = new List<Reject>();
        var tally = new FieldTally(file.Kind == RecordKind.Song ? SongColumns.Table : EventColumns.Table);
        try
        {
            if (chunk.Parts is { } parts)
            {
                foreach (var part in parts)
                    ParseWholeFile(part.File, chunk.Buffer.AsSpan(part.Offset, part.Length), part.Error, events, songs, rejects, tally);
            }
            else if (chunk.Error is not null)
            {
                ParseWholeFile(file, default, chunk.Error, events, songs, rejects, tally, chunk.FirstLine);
            }
            else if (file.Kind == RecordKind.Song)
            {
                ParseWholeFile(file, chunk.Span, null, events, songs, rejects, tally);
            }
            else
            {
                var read = logParser.ParseLines(chunk.Span, chunk.FirstLine, chunk.FileStart, file.Key, events, rejects, tally);
                accounting.Add(file, read, events.Count, rejects, tally);
            }
            accounting.AddBytes(chunk.Length);
        }
        finally
        {
            chunk.Release();
        }
        return new ParsedChunk(file.Kind, events, songs, rejects, chunk.Length);
    }

    /// <summary>One song file (or a read error standing for the rest of a file), counted for that file.</summary>
    private void ParseWholeFile(SourceObject file, ReadOnlySpan<byte> content, string? error, RecordBatch events,
        RecordBatch songs, List<Reject> rejects, FieldTally tally, int errorLine = 1)
    {
        tally.Clear();
        var rejectsBefore = rejects.Count;
        int read, valid;
        if (error is not null)
        {
            rejects.Add(new Reject(file.Key, errorLine, file.Kind.Name(), RejectReason.MalformedJson, null, error, ""));
            (read, valid) = (1, 0);
        }
        else if (file.Kind == RecordKind.Song)
        {
            var before = songs.Count;
            read = songParser.Parse(content, file.Key, songs, rejects, tally);
            valid = songs.Count - before;
        }
        else
        {
            var before = events.Count;
            read = logParser.ParseLines(content, 1, true, file.Key, events, rejects, tally);
            valid = events.Count - before;
        }
        var added = rejects.Count - rejectsBefore;
        accounting.Add(file, read, valid, added == 0 ? [] : rejects.GetRange(rejectsBefore, added), tally);
    }
}
