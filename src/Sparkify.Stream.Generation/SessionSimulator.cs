namespace Sparkify.Stream.Generation;

/// <summary>What carries over from one chunk of a day to the next: session ids, who is busy, who has not been seen.</summary>
internal sealed class SimulationState(int users)
{
    public int NextSessionId { get; set; } = 1;

    public int NextUnseenUser { get; set; }

    /// <summary>Per user, the ts after its last session's last event; a new session tries to start after it.</summary>
    public long[] BusyUntil { get; } = new long[users];
}

/// <summary>Simulates the sessions of one time window into events, sorted by ts.</summary>
/// <remarks>
/// Sessions: 90% of a registered user (~23 events on average, 86% NextSong; 30% begin logged out with
/// Home/Login, 20% end with Logout and a logged-out Home), 4% of a guest (1–5 events), 6% of a logged-out
/// visitor (1–3 events). A play is 10% a song without a song file; of catalogue plays 5% have a length off by less
/// than 0.001 (still a match), 4% off by 0.002 or more (no match), and a quarter of plays of non-ASCII songs
/// are double-encoded. A session that would run past the window is compressed in time to fit.
/// </remarks>
internal sealed class SessionSimulator
{
    private const int MaxSessionLength = 250;
    private readonly SongCatalogue _catalogue;
    private readonly UserPool _users;
    private readonly SimulationState _state;
    private readonly bool[] _nonAsciiTrack;

    public SessionSimulator(SongCatalogue catalogue, UserPool users, SimulationState state)
    {
        _catalogue = catalogue;
        _users = users;
        _state = state;
        _nonAsciiTrack = new bool[catalogue.TrackCount];
        for (var i = 0; i < _nonAsciiTrack.Length; i++)
            _nonAsciiTrack[i] = !JsonText.IsAscii(catalogue[i].Title) || !JsonText.IsAscii(catalogue[i].ArtistName);
    }

    /// <summary><paramref name="count"/> events with windowStart ≤ ts &lt; windowEnd, sorted by ts (ties in simulation order).</summary>
    public SimulatedEvent[] Simulate(long windowStart, long windowEnd, int count, Random rng)
    {
        var events = new SimulatedEvent[count];
        var sessions = new List<(EventAuth Kind, int Length)>();
        for (var planned = 0; planned < count;)
        {
            var kind = rng.NextDouble() switch { < 0.04 => EventAuth.Guest, < 0.10 => EventAuth.LoggedOut, _ => EventAuth.LoggedIn };
            var length = Math.Min(SessionLength(kind, rng), count - planned);
            sessions.Add((kind, length));
            planned += length;
        }
        var starts = new long[sessions.Count];
        for (var i = 0; i < starts.Length; i++) starts[i] = windowStart + (long)(rng.NextDouble() * (windowEnd - windowStart));
        Array.Sort(starts);

        var written = 0;
        for (var s = 0; s < sessions.Count; s++)
        {
            var session = events.AsSpan(written, sessions[s].Length);
            if (sessions[s].Kind == EventAuth.LoggedIn) EmitRegistered(session, starts[s], windowEnd, rng);
            else EmitAnonymous(session, starts[s], windowEnd, sessions[s].Kind, rng);
            written += session.Length;
        }
        return SortByTs(events);
    }

    // Registered sessions: 1 + exponential, mean ~23 events; guests and logged-out visitors leave after a few pages.
    private static int SessionLength(EventAuth kind, Random rng) => kind switch
    {
        EventAuth.LoggedIn => Math.Min(MaxSessionLength, 1 + (int)(-Math.Log(1 - rng.NextDouble()) * 22)),
        EventAuth.Guest => 1 + rng.Next(5),
        _ => 1 + rng.Next(3),
    };

    private void EmitRegistered(Span<SimulatedEvent> session, long start, long windowEnd, Random rng)
    {
        var userIndex = PickUser(start, rng);
        var user = _users.Users[userIndex];
        var n = session.Length;
        var body = 0;
        if (n >= 3 && rng.NextDouble() < 0.3)
        {
            if (rng.NextDouble() < 0.5) session[body++] = new SimulatedEvent { Page = EventPage.Home, Auth = EventAuth.LoggedOut };
            session[body++] = new SimulatedEvent { Page = EventPage.Login, Auth = EventAuth.LoggedOut };
        }
        var bodyEnd = n;
        if (n - body >= 3 && rng.NextDouble() < 0.2)
        {
            bodyEnd = n - 2;
            session[n - 2] = new SimulatedEvent { Page = EventPage.Logout, Auth = EventAuth.LoggedIn };
            session[n - 1] = new SimulatedEvent { Page = EventPage.Home, Auth = EventAuth.LoggedOut };
        }
        for (var i = body; i < bodyEnd; i++)
        {
            session[i] = rng.NextDouble() < 0.86 ? Play(rng) : new SimulatedEvent { Page = OtherPage(rng) };
        }

        AssignTimes(session, start, windowEnd, rng);
        AssignLevels(session, user.Levels, previousEnd: _state.BusyUntil[userIndex] - 1);
        var sessionId = _state.NextSessionId++;
        for (var i = 0; i < n; i++)
        {
            ref var e = ref session[i];
            e.User = userIndex;
            e.SessionId = sessionId;
            e.ItemInSession = i;
            e.EscapeNonAscii = rng.NextDouble() < 0.5;
            e.ScientificRegistration = rng.NextDouble() < 0.08;
            if (e.Page == EventPage.Upgrade && e.Paid) e.Page = EventPage.Downgrade;
        }
        _state.BusyUntil[userIndex] = session[n - 1].Ts + 1;
    }

    private void EmitAnonymous(Span<SimulatedEvent> session, long start, long windowEnd, EventAuth auth, Random rng)
    {
        var paid = auth == EventAuth.LoggedOut && rng.NextDouble() < 0.3;
        for (var i = 0; i < session.Length; i++)
        {
            var page = i == 0 ? EventPage.Home : AnonymousPage(auth, rng);
            session[i] = new SimulatedEvent { Page = page, Auth = auth, Paid = paid, User = -1, Track = -1, ItemInSession = i };
        }
        AssignTimes(session, start, windowEnd, rng);
        var sessionId = _state.NextSessionId++;
        foreach (ref var e in session) e.SessionId = sessionId;
    }

    private SimulatedEvent Play(Random rng)
    {
        var songs = _catalogue.Songs.Length;
        if (songs == 0 || rng.NextDouble() < 0.10)
        {
            var outside = songs + rng.Next(_catalogue.Outside.Length);
            return NewPlay(outside, _catalogue[outside].Duration, PlayKind.Outside);
        }
        var track = (int)(songs * Math.Pow(rng.NextDouble(), 1.5));
        var duration = _catalogue.Songs[track].Duration;
        var roll = rng.NextDouble();
        var sign = rng.Next(2) == 0 ? -1 : 1;
        if (roll < 0.05) return NewPlay(track, Math.Round(duration + sign * (1 + rng.Next(9)) / 10_000d, 5), PlayKind.NearLength);
        if (roll < 0.09) return NewPlay(track, Math.Round(duration + sign * (0.002 + 2 * rng.NextDouble()), 5), PlayKind.OffLength);
        var kind = _nonAsciiTrack[track] && rng.NextDouble() < 0.25 ? PlayKind.Mojibake : PlayKind.Exact;
        return NewPlay(track, duration, kind);
    }

    private static SimulatedEvent NewPlay(int track, double length, PlayKind kind) =>
        new() { Page = EventPage.NextSong, Track = track, Length = length, Play = kind };

    private static EventPage OtherPage(Random rng) => rng.NextDouble() switch
    {
        < 0.55 => EventPage.Home,
        < 0.67 => EventPage.Upgrade, // Downgrade for paid users, decided once the level is known
        < 0.75 => EventPage.Settings,
        < 0.80 => EventPage.SaveSettings,
        < 0.87 => EventPage.About,
        < 0.97 => EventPage.Help,
        _ => EventPage.Error,
    };

    private static EventPage AnonymousPage(EventAuth auth, Random rng) => (auth, rng.NextDouble()) switch
    {
        (EventAuth.Guest, < 0.3) => EventPage.Register,
        (EventAuth.Guest, < 0.45) => EventPage.SubmitRegistration,
        (EventAuth.LoggedOut, < 0.45) => EventPage.Login,
        (_, < 0.65) => EventPage.Home,
        (_, < 0.8) => EventPage.Help,
        (_, < 0.95) => EventPage.About,
        _ => EventPage.Error,
    };

    private int PickUser(long start, Random rng)
    {
        if (_state.NextUnseenUser < _users.Count) return _state.NextUnseenUser++;
        var user = _users.PickActive(rng);
        for (var attempt = 0; attempt < 4 && _state.BusyUntil[user] > start; attempt++) user = _users.PickActive(rng);
        return user;
    }

    // A song's event is followed by the next after about the song's length; other pages by seconds.
    private static void AssignTimes(Span<SimulatedEvent> session, long start, long windowEnd, Random rng)
    {
        Span<long> gaps = session.Length <= 256 ? stackalloc long[session.Length] : new long[session.Length];
        long total = 0;
        for (var i = 0; i < session.Length - 1; i++)
        {
            gaps[i] = session[i].Page switch
            {
                EventPage.NextSong => (long)(session[i].Length * 1000) + rng.Next(3000),
                EventPage.Login or EventPage.Logout => rng.Next(0, 2000),
                _ => rng.Next(2000, 90_000),
            };
            total += gaps[i];
        }
        var scale = start + total < windowEnd ? 1d : (windowEnd - 1 - start) / (double)total;
        long elapsed = 0;
        for (var i = 0; i < session.Length; i++)
        {
            session[i].Ts = start + (long)(elapsed * scale);
            if (i < session.Length - 1) elapsed += gaps[i];
        }
    }

    // A level change since the user's previous session shows as a Submit Upgrade/Downgrade event: the first
    // logged-in event at or after the change (so every change the logs can show, they show).
    private static void AssignLevels(Span<SimulatedEvent> session, LevelTimeline levels, long previousEnd)
    {
        var change = levels.ChangeIn(previousEnd, session[^1].Ts);
        var submitAt = -1;
        if (change is { } c)
        {
            for (var i = 0; i < session.Length && submitAt < 0; i++)
                if (session[i].Ts >= c && session[i].Auth == EventAuth.LoggedIn) submitAt = i;
        }
        for (var i = 0; i < session.Length; i++)
        {
            ref var e = ref session[i];
            e.Paid = submitAt >= 0 && i <= submitAt ? levels.PaidAt(change!.Value - 1) : levels.PaidAt(e.Ts);
            if (i != submitAt) continue;
            e.Page = e.Paid ? EventPage.SubmitDowngrade : EventPage.SubmitUpgrade;
            e.Play = PlayKind.None;
            e.Track = -1;
            e.Length = 0;
        }
    }

    private static SimulatedEvent[] SortByTs(SimulatedEvent[] events)
    {
        // ts < 2^42 and a chunk holds < 2^21 events: one long key sorts by ts, then simulation order.
        var keys = new long[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            keys[i] = (events[i].Ts << 21) | (long)i;
        }
        Array.Sort(keys, events);
        return events;
    }
}
