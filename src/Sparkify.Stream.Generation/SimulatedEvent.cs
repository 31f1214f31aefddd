namespace Sparkify.Stream.Generation;

/// <summary>The pages of the real logs, plus the guest sign-up pages of the full Sparkify data.</summary>
internal enum EventPage : byte
{
    Home, NextSong, Login, Logout, About, Help, Settings, SaveSettings, Upgrade, SubmitUpgrade, Downgrade,
    SubmitDowngrade, Error, Register, SubmitRegistration,
}

internal enum EventAuth : byte { LoggedIn, LoggedOut, Guest }

/// <summary>How a NextSong event names its song, relative to the catalogue.</summary>
internal enum PlayKind : byte
{
    None,

    /// <summary>Title, artist name and length equal a catalogue song's.</summary>
    Exact,

    /// <summary>Length off by less than 0.001 seconds: still a match.</summary>
    NearLength,

    /// <summary>Length off by 0.002 seconds or more: no match.</summary>
    OffLength,

    /// <summary>A song with no song file.</summary>
    Outside,

    /// <summary>Non-ASCII text double-encoded in <c>\u</c> escapes, as in the real logs: no match.</summary>
    Mojibake,
}

/// <summary>One simulated event before it is written; small, so a day's chunk sorts fast.</summary>
internal struct SimulatedEvent
{
    public long Ts;
    public int User;
    public int SessionId;
    public int ItemInSession;
    public int Track;
    public double Length;
    public EventPage Page;
    public EventAuth Auth;
    public PlayKind Play;
    public bool Paid;
    public bool EscapeNonAscii;
    public bool ScientificRegistration;

    public readonly bool HasUser => Auth == EventAuth.LoggedIn;
}
