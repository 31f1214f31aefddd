using Sparkify.Stream.Records;

namespace Sparkify.Stream.Pipeline;

/// <summary>Parses and validates one chunk: typed records or rejects with their reason; returns the chunk's buffer.</summary>
internal sealed class ParseStage(LogEventParser logParser, SongFileParser songParser, RunAccounting accounting)
{
    public ParsedChunk Parse(FileChunk chunk)
    {
        var file = chunk.File;
        var events = new List<LogEvent>();
        var songs = new List<SongRecord>();
        var rejects = new List<Reject>();
        try
        {
            int read;
            if (chunk.Error is not null)
            {
                rejects.Add(new Reject(file.Key, chunk.FirstLine, file.Kind.Name(), RejectReason.MalformedJson,
                    null, chunk.Error, ""));
                read = 1;
            }
            else if (file.Kind == RecordKind.Song)
            {
                read = songParser.Parse(chunk.Span, file.Key, songs, rejects);
            }
            else
            {
                read = logParser.ParseLines(chunk.Span, chunk.FirstLine, chunk.FileStart, file.Key, events, rejects);
            }
            accounting.Add(file, read, events.Count + songs.Count, rejects);
            accounting.AddBytes(chunk.Length);
        }
        finally
        {
            chunk.Release();
        }
        return new ParsedChunk(file.Kind, events, songs, rejects);
    }
}
