namespace Sparkify.Stream.Generation;

/// <summary>The word lists the generator draws names, titles, places and browsers from.</summary>
/// <remarks>Non-ASCII entries are deliberate: they exercise UTF-8 and <c>\u</c> escapes end to end.</remarks>
internal static class Vocabulary
{
    public static readonly string[] FirstNamesFemale =
    [
        "Ava", "Chloe", "Lily", "Kaylee", "Tegan", "Jacqueline", "Sophia", "Mia", "Harper", "Layla",
        "Amelia", "Evelyn", "Aubrey", "Stella", "Hailey", "Madison", "Zoe", "Nora", "Riley", "Aria",
        "Zoë", "Renée", "Chloé", "Inés", "Søs", "Ayla", "Cienna", "Alivia", "Anabelle", "Celeste",
    ];

    public static readonly string[] FirstNamesMale =
    [
        "Walter", "Jacob", "Aiden", "Jayden", "Carlos", "Austin", "Braden", "Dustin", "Liam", "Noah",
        "Mason", "Ethan", "Logan", "Lucas", "Jackson", "Owen", "Wyatt", "Caleb", "Ryan", "Evan",
        "José", "Søren", "Łukasz", "André", "Björn", "Colm", "Bronson", "Connar", "Dominick", "Kevin",
    ];

    public static readonly string[] LastNames =
    [
        "Frye", "Summers", "Koch", "Levine", "Lynch", "Hess", "Klein", "Graves", "Barrett", "Cruz",
        "Robinson", "Mendoza", "Santiago", "Thompson", "Perkins", "Fuentes", "Owens", "Morris", "Jones",
        "Kirby", "Ray", "Hoffman", "Wolfe", "Reed", "Ortiz", "Ward", "Watkins", "Beck", "Harrell",
        "Müller", "García", "Núñez", "Ødegaard", "Doğan", "O'Brien", "Saint-Pierre", "Nakamura",
    ];

    public static readonly string[] UserLocations =
    [
        "San Francisco-Oakland-Hayward, CA", "Phoenix-Mesa-Scottsdale, AZ", "Chicago-Naperville-Elgin, IL-IN-WI",
        "New York-Newark-Jersey City, NY-NJ-PA", "Atlanta-Sandy Springs-Roswell, GA", "Portland-South Portland, ME",
        "Tampa-St. Petersburg-Clearwater, FL", "Marinette, WI-MI", "La Crosse-Onalaska, WI-MN",
        "Los Angeles-Long Beach-Anaheim, CA", "Seattle-Tacoma-Bellevue, WA", "Houston-The Woodlands-Sugar Land, TX",
        "Dallas-Fort Worth-Arlington, TX", "Detroit-Warren-Dearborn, MI", "Boston-Cambridge-Newton, MA-NH",
        "Miami-Fort Lauderdale-West Palm Beach, FL", "Denver-Aurora-Lakewood, CO", "Eugene, OR", "Columbia, SC",
        "Cedar Rapids, IA", "Birmingham-Hoover, AL", "Augusta-Richmond County, GA-SC", "Elkhart-Goshen, IN",
        "Lansing-East Lansing, MI", "Red Bluff, CA", "Winston-Salem, NC", "Tucson, AZ", "Santa Maria-Santa Barbara, CA",
    ];

    /// <summary>Browsers as the logs record them; the simulator wraps those with a comma in literal quotes (as the real logs do).</summary>
    public static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36",
        "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.94 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.78.2 (KHTML, like Gecko) Version/7.0.6 Safari/537.78.2",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53",
        "Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36",
        "Mozilla/5.0 (Windows NT 5.1; rv:31.0) Gecko/20100101 Firefox/31.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.9; rv:31.0) Gecko/20100101 Firefox/31.0",
        "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
        "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0)",
        "Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0",
    ];

    /// <summary>Artists whose names need more than ASCII (Latin diacritics, Japanese, Cyrillic, an emoji beyond the BMP).</summary>
    public static readonly string[] NonAsciiArtists =
    [
        "Beyoncé", "Sigur Rós", "Mötley Crüe", "Björk", "Motörhead", "Céline Dion", "Blue Öyster Cult",
        "Hüsker Dü", "Queensrÿche", "Zoé", "宇多田ヒカル", "坂本龍一", "きゃりーぱみゅぱみゅ", "Кино",
        "Måneskin", "Café Tacvba", "Jóhann Jóhannsson", "Mø", "Die Ärzte", "DJ 🎧 Ñoño",
    ];

    public static readonly string[] ArtistFirstWords =
    [
        "Black", "Silver", "Velvet", "Electric", "Crimson", "Midnight", "Golden", "Paper", "Neon", "Wild",
        "Hollow", "Broken", "Lucky", "Iron", "Glass", "Northern", "Quiet", "Burning", "Sonic", "Lonely",
    ];

    public static readonly string[] ArtistSecondWords =
    [
        "Keys", "Tigers", "Rain", "Horizon", "Lions", "Wolves", "Echo", "Saints", "Machines", "Rivers",
        "Hearts", "Engines", "Ghosts", "Kings", "Trio", "Collective", "Orchestra", "Brothers", "Sisters", "Club",
    ];

    public static readonly string[] TitleWords =
    [
        "Love", "Night", "Heart", "Fire", "Dream", "Rain", "Summer", "Road", "Light", "Time", "Dance",
        "Shadow", "River", "Gun", "Soul", "Girl", "Home", "Blue", "Sky", "Money", "Ocean", "Song",
        "Moon", "Train", "Tonight", "Forever", "Wonder", "Paradise", "Memory", "Angel",
    ];

    public static readonly string[] TitleLeadWords =
    [
        "My", "Your", "The", "Sweet", "Lost", "Little", "Crazy", "Last", "Lonely", "Another", "Endless",
        "Loaded Like A", "Walking In The", "Waiting For The", "Back To The", "Don't Stop The",
    ];

    public static readonly string[] TitleSuffixes =
    [
        " (Album Version)", " (Live)", " (Remix)", " (Radio Edit)", " (Instrumental Version)", " (Acoustic)", " [Explicit]",
    ];

    public static readonly string[] NonAsciiTitles =
    [
        "Clementina Santafè", "Mon Cœur S'ouvre", "Déjà Vu", "Niña Bonita", "Über Alles", "Ñandú", "Señorita",
        "Hoppípolla", "夜明けのうた", "さくら", "Звезда", "Ça Plane Pour Moi", "Smørrebrød", "Café Con Leche",
    ];

    /// <summary>Titles with control characters and quotes, as found in the real song data (e.g. U+0019 for an apostrophe).</summary>
    public static readonly string[] QuirkyTitles =
    [
        "Howlin\u0019 For You", "The Kids Don\u0019t Stand A Chance", "\"Heroes\"", "Say \"Yes\"",
        "Track\t1", "Back\\Slash Blues", "Line\nBreak", "I Said \"Hi\" (Live)",
    ];

    /// <summary>Artist home towns, with coordinates (used when an artist has them).</summary>
    public static readonly (string Name, double Latitude, double Longitude)[] ArtistLocations =
    [
        ("Berlin, Germany", 52.51607, 13.37698), ("Nashville, TN", 36.16778, -86.77836),
        ("Memphis, TN", 35.14968, -90.04892), ("California - SF", 37.77916, -122.42005),
        ("California - LA", 34.05349, -118.24532), ("London, England", 51.50632, -0.12714),
        ("Rio de Janeiro", -22.97673, -43.19508), ("Reykjavík, Iceland", 64.13548, -21.89541),
        ("Tokyo, Japan", 35.68953, 139.69171), ("Montréal, Québec", 45.50884, -73.58781),
        ("São Paulo, Brazil", -23.5475, -46.63611), ("Stockholm, Sweden", 59.33258, 18.06490),
        ("Burlington, Ontario, Canada", 43.32471, -79.79962), ("North Carolina", 35.21962, -80.01955),
        ("Ohio", 40.19033, -82.66952), ("New York, NY", 40.71455, -74.00712),
        ("Kingston, Jamaica", 17.99702, -76.79358), ("Paris, France", 48.85693, 2.3412),
        ("Melbourne, Australia", -37.81753, 144.96715), ("Ciudad de México", 19.43268, -99.13421),
    ];
}
