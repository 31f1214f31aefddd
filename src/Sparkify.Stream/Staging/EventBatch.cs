using Sparkify.Stream.Records;
using Sparkify.Stream.Staging.ParquetFormat;

namespace Sparkify.Stream.Staging;

/// <summary>Rows of <c>staging_events</c>, column by column in SPEC §2 order (no object per event).</summary>
internal sealed class EventBatch(int capacity = 1024) : IRowBatch<EventBatch>
{
    private readonly Column<long> _eventId = new(capacity);
    private readonly Column<long> _ts = new(capacity);   // epoch ms, as read (SPEC §2)
    private readonly Column<int?> _userId = new(capacity);
    private readonly Column<string?> _firstName = new(capacity), _lastName = new(capacity), _gender = new(capacity),
        _level = new(capacity), _auth = new(capacity), _method = new(capacity), _page = new(capacity),
        _location = new(capacity), _userAgent = new(capacity), _artist = new(capacity), _song = new(capacity);
    private readonly Column<double?> _length = new(capacity);
    private readonly Column<int?> _itemInSession = new(capacity), _sessionId = new(capacity), _status = new(capacity);
    private readonly Column<long?> _registration = new(capacity);
    private readonly Column<string> _sourceKey = new(capacity);
    private readonly Column<int> _sourceLine = new(capacity);

    public int Count => _eventId.Count;

    public void Add(LogEvent e)
    {
        _eventId.Add(e.EventId);
        _ts.Add(e.Ts);
        _userId.Add(e.UserId);
        _firstName.Add(e.FirstName);
        _lastName.Add(e.LastName);
        _gender.Add(e.Gender);
        _level.Add(e.Level);
        _auth.Add(e.Auth);
        _method.Add(e.Method);
        _page.Add(e.Page);
        _location.Add(e.Location);
        _userAgent.Add(e.UserAgent);
        _artist.Add(e.Artist);
        _song.Add(e.Song);
        _length.Add(e.Length);
        _itemInSession.Add(e.ItemInSession);
        _sessionId.Add(e.SessionId);
        _status.Add(e.Status);
        _registration.Add(e.Registration);
        _sourceKey.Add(e.SourceKey);
        _sourceLine.Add(e.SourceLine);
    }

    /// <summary>Adds the event read into <paramref name="f"/> (the parser's hot path: no LogEvent is made).</summary>
    public void Add(in EventFields f, string sourceKey, int lineNumber)
    {
        var userId = EventFields.Int(f.UserIdState, f.UserId);
        var sessionId = EventFields.Int(f.SessionIdState, f.SessionId);
        var itemInSession = EventFields.Int(f.ItemState, f.ItemInSession);
        _eventId.Add(EventIds.Compute(f.Ts, sessionId, itemInSession, userId));
        _ts.Add(f.Ts);
        _userId.Add(userId);
        _firstName.Add(f.FirstName);
        _lastName.Add(f.LastName);
        _gender.Add(f.Gender);
        _level.Add(f.Level);
        _auth.Add(f.Auth);
        _method.Add(f.Method);
        _page.Add(f.Page);
        _location.Add(f.Location);
        _userAgent.Add(f.UserAgent);
        _artist.Add(f.Artist);
        _song.Add(f.Song);
        _length.Add(f.LengthState == ValueState.Value ? f.Length : null);
        _itemInSession.Add(itemInSession);
        _sessionId.Add(sessionId);
        _status.Add(EventFields.Int(f.StatusState, f.Status));
        _registration.Add(f.RegistrationState == ValueState.Value ? f.Registration : null);
        _sourceKey.Add(sourceKey);
        _sourceLine.Add(lineNumber);
    }

    /// <summary>Row <paramref name="i"/> as a record (tests and small callers; the pipeline never needs it).</summary>
    public LogEvent this[int i] => new()
    {
        EventId = _eventId[i],
        Ts = _ts[i],
        UserId = _userId[i],
        FirstName = _firstName[i],
        LastName = _lastName[i],
        Gender = _gender[i],
        Level = _level[i],
        Auth = _auth[i],
        Method = _method[i],
        Page = _page[i],
        Location = _location[i],
        UserAgent = _userAgent[i],
        Artist = _artist[i],
        Song = _song[i],
        Length = _length[i],
        ItemInSession = _itemInSession[i],
        SessionId = _sessionId[i],
        Status = _status[i],
        Registration = _registration[i],
        SourceKey = _sourceKey[i],
        SourceLine = _sourceLine[i],
    };

    public void Append(EventBatch s, int start, int count)
    {
        _eventId.Append(s._eventId, start, count);
        _ts.Append(s._ts, start, count);
        _userId.Append(s._userId, start, count);
        _firstName.Append(s._firstName, start, count);
        _lastName.Append(s._lastName, start, count);
        _gender.Append(s._gender, start, count);
        _level.Append(s._level, start, count);
        _auth.Append(s._auth, start, count);
        _method.Append(s._method, start, count);
        _page.Append(s._page, start, count);
        _location.Append(s._location, start, count);
        _userAgent.Append(s._userAgent, start, count);
        _artist.Append(s._artist, start, count);
        _song.Append(s._song, start, count);
        _length.Append(s._length, start, count);
        _itemInSession.Append(s._itemInSession, start, count);
        _sessionId.Append(s._sessionId, start, count);
        _status.Append(s._status, start, count);
        _registration.Append(s._registration, start, count);
        _sourceKey.Append(s._sourceKey, start, count);
        _sourceLine.Append(s._sourceLine, start, count);
    }

    public void Clear()
    {
        _eventId.Clear();
        _ts.Clear();
        _userId.Clear();
        foreach (var text in Texts) text.Clear();
        _length.Clear();
        _itemInSession.Clear();
        _sessionId.Clear();
        _status.Clear();
        _registration.Clear();
        _sourceKey.Clear();
        _sourceLine.Clear();
    }

    /// <summary>The eleven text columns between user_id and length, in schema order.</summary>
    private Column<string?>[] Texts =>
        [_firstName, _lastName, _gender, _level, _auth, _method, _page, _location, _userAgent, _artist, _song];

    public void Write(PartFileWriter file)
    {
        file.WriteInt64(_eventId.Span);
        file.WriteInt64(_ts.Span);
        file.WriteInt32(_userId.Span);
        foreach (var text in Texts) file.WriteStrings(text.Span);
        file.WriteDouble(_length.Span);
        file.WriteInt32(_itemInSession.Span);
        file.WriteInt32(_sessionId.Span);
        file.WriteInt32(_status.Span);
        file.WriteInt64(_registration.Span);
        file.WriteStrings(_sourceKey.Span!);
        file.WriteInt32(_sourceLine.Span);
    }
}
