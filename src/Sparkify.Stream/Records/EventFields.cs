using System.Text.Json;

namespace Sparkify.Stream.Records;

/// <summary>The fields of a log event (SPEC §1); <see cref="None"/> is any other name.</summary>
internal enum EventField : byte
{
    None,
    Ts,
    UserId,
    SessionId,
    ItemInSession,
    Status,
    Length,
    Registration,
    Artist,
    Auth,
    FirstName,
    Gender,
    LastName,
    Level,
    Location,
    Method,
    Page,
    Song,
    UserAgent,
}

/// <summary>Matches property names to <see cref="EventField"/> on their UTF-8 bytes, by length first.</summary>
internal static class EventFieldNames
{
    public static EventField Match(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped) return Match(reader.ValueSpan);
        if (reader.ValueSpan.Length > 128) return EventField.None; // decodes to more than 13 bytes: no field is that long
        Span<byte> buffer = stackalloc byte[128];
        try
        {
            return Match(buffer[..reader.CopyString(buffer)]);
        }
        catch (InvalidOperationException)
        {
            return EventField.None; // a name with a lone surrogate escape is no field of ours
        }
    }

    public static EventField Match(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("ts"u8) => EventField.Ts,
        4 when name.SequenceEqual("page"u8) => EventField.Page,
        4 when name.SequenceEqual("auth"u8) => EventField.Auth,
        4 when name.SequenceEqual("song"u8) => EventField.Song,
        5 when name.SequenceEqual("level"u8) => EventField.Level,
        6 when name.SequenceEqual("userId"u8) => EventField.UserId,
        6 when name.SequenceEqual("artist"u8) => EventField.Artist,
        6 when name.SequenceEqual("length"u8) => EventField.Length,
        6 when name.SequenceEqual("status"u8) => EventField.Status,
        6 when name.SequenceEqual("method"u8) => EventField.Method,
        6 when name.SequenceEqual("gender"u8) => EventField.Gender,
        8 when name.SequenceEqual("lastName"u8) => EventField.LastName,
        8 when name.SequenceEqual("location"u8) => EventField.Location,
        9 when name.SequenceEqual("sessionId"u8) => EventField.SessionId,
        9 when name.SequenceEqual("firstName"u8) => EventField.FirstName,
        9 when name.SequenceEqual("userAgent"u8) => EventField.UserAgent,
        12 when name.SequenceEqual("registration"u8) => EventField.Registration,
        13 when name.SequenceEqual("itemInSession"u8) => EventField.ItemInSession,
        _ => EventField.None,
    };

    public static string Name(EventField field) => field switch
    {
        EventField.Ts => "ts",
        EventField.UserId => "userId",
        EventField.SessionId => "sessionId",
        EventField.ItemInSession => "itemInSession",
        EventField.Status => "status",
        EventField.Length => "length",
        EventField.Registration => "registration",
        EventField.Artist => "artist",
        EventField.Auth => "auth",
        EventField.FirstName => "firstName",
        EventField.Gender => "gender",
        EventField.LastName => "lastName",
        EventField.Level => "level",
        EventField.Location => "location",
        EventField.Method => "method",
        EventField.Page => "page",
        EventField.Song => "song",
        EventField.UserAgent => "userAgent",
        _ => "",
    };
}

/// <summary>One string cache per string field, so a busy field (song) cannot evict a small vocabulary (page).</summary>
internal sealed class EventStringPools
{
    private readonly StringPool[] _pools;

    public EventStringPools()
    {
        _pools = new StringPool[(int)EventField.UserAgent + 1];
        foreach (var field in new[] { EventField.Auth, EventField.Gender, EventField.Level, EventField.Method, EventField.Page })
            _pools[(int)field] = new StringPool(64);
        foreach (var field in new[] { EventField.FirstName, EventField.LastName, EventField.Location, EventField.UserAgent })
            _pools[(int)field] = new StringPool(2048);
        foreach (var field in new[] { EventField.Artist, EventField.Song })
            _pools[(int)field] = new StringPool(8192);
    }

    public StringPool For(EventField field) => _pools[(int)field];
}

/// <summary>The values of one event while its line is read; a plain struct on the stack.</summary>
internal struct EventFields
{
    public long Ts, UserId, SessionId, ItemInSession, Status, Registration;
    public double Length;
    public ValueState TsState, UserIdState, SessionIdState, ItemState, StatusState, RegistrationState, LengthState;
    public string? Artist, Auth, FirstName, Gender, LastName, Level, Location, Method, Page, Song, UserAgent;

    public void SetString(EventField field, string? value)
    {
        switch (field)
        {
            case EventField.Artist: Artist = value; break;
            case EventField.Auth: Auth = value; break;
            case EventField.FirstName: FirstName = value; break;
            case EventField.Gender: Gender = value; break;
            case EventField.LastName: LastName = value; break;
            case EventField.Level: Level = value; break;
            case EventField.Location: Location = value; break;
            case EventField.Method: Method = value; break;
            case EventField.Page: Page = value; break;
            case EventField.Song: Song = value; break;
            case EventField.UserAgent: UserAgent = value; break;
        }
    }

    public readonly LogEvent ToEvent(string sourceKey, int lineNumber)
    {
        var userId = Int(UserIdState, UserId);
        var sessionId = Int(SessionIdState, SessionId);
        var itemInSession = Int(ItemState, ItemInSession);
        return new LogEvent
        {
            EventId = EventIds.Compute(Ts, sessionId, itemInSession, userId),
            Ts = Ts,
            UserId = userId,
            FirstName = FirstName,
            LastName = LastName,
            Gender = Gender,
            Level = Level,
            Auth = Auth,
            Method = Method,
            Page = Page,
            Location = Location,
            UserAgent = UserAgent,
            Artist = Artist,
            Song = Song,
            Length = LengthState == ValueState.Value ? Length : null,
            ItemInSession = itemInSession,
            SessionId = sessionId,
            Status = Int(StatusState, Status),
            Registration = RegistrationState == ValueState.Value ? Registration : null,
            SourceKey = sourceKey,
            SourceLine = lineNumber,
        };
    }

    public static int? Int(ValueState state, long value) => state == ValueState.Value ? (int)value : null;
}
