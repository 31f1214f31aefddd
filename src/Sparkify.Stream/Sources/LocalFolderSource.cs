using System.Globalization;
using System.Runtime.CompilerServices;

namespace Sparkify.Stream.Sources;

/// <summary>Input files (<see cref="InputFiles"/>) from a local folder, listed recursively.</summary>
/// <remarks>
/// Keys are the folder's own name plus the path below it ("log_data/2018/11/2018-11-01-events.json"), '/'-separated,
/// so the ledger does not depend on where the folder sits. A file's version is its size and modification time.
/// </remarks>
internal sealed class LocalFolderSource : IObjectSource
{
    private readonly string _root;
    private readonly string _keyPrefix;

    public LocalFolderSource(string root)
    {
        _root = Path.GetFullPath(root);
        _keyPrefix = Path.GetFileName(_root.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
    }

    public string Description => _root;

    public int ConcurrentReads => 1;

    public async IAsyncEnumerable<SourceObject> ListAsync(
        RecordKind kind, DateRange range, [EnumeratorCancellation] CancellationToken ct)
    {
        if (!Directory.Exists(_root))
            throw new ConfigurationException($"{kind.Name()} source folder not found: {_root}");
        var files = new List<(string Key, FileInfo Info, DateOnly? Date)>();
        foreach (var path in Directory.EnumerateFiles(_root, "*", Listing))
        {
            ct.ThrowIfCancellationRequested();
            if (!InputFiles.IsInputFile(path)) continue;
            var key = KeyOf(path);
            DateOnly? date = kind == RecordKind.Event ? LogFileDates.FromKey(key) : null;
            if (kind == RecordKind.Event && !range.Admits(date)) continue;
            files.Add((key, new FileInfo(path), date));
        }
        // Sorted so runs are reproducible whatever order the file system lists in.
        files.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (key, info, date) in files)
        {
            var version = string.Create(CultureInfo.InvariantCulture,
                $"{info.Length}-{info.LastWriteTimeUtc.Ticks}");
            yield return new SourceObject(key, kind, info.Length, version, date);
        }
        await Task.CompletedTask;
    }

    public Task<System.IO.Stream> OpenReadAsync(SourceObject obj, CancellationToken ct)
    {
        var path = PathOf(obj.Key);
        System.IO.Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read,
            bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult(stream);
    }

    public Task<OtherFiles> OtherFilesAsync(CancellationToken ct) =>
        Directory.Exists(_root)
            ? OtherFiles.OfAsync(Directory.EnumerateFiles(_root, "*", Listing)
                .Select(p => Path.GetRelativePath(_root, p).Replace(Path.DirectorySeparatorChar, '/')).ToAsyncEnumerable(), ct)
            : Task.FromResult(OtherFiles.None);

    private static readonly EnumerationOptions Listing = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = false,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        MatchType = MatchType.Simple,
    };

    private string KeyOf(string path)
    {
        var relative = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
        return _keyPrefix.Length == 0 ? relative : _keyPrefix + "/" + relative;
    }

    private string PathOf(string key)
    {
        var relative = _keyPrefix.Length == 0 ? key : key[(_keyPrefix.Length + 1)..];
        return Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar));
    }
}
