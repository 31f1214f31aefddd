using System.IO.Compression;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.IntegrationTests.S3;

/// <summary>Uploading and reading helpers shared by the S3 tests.</summary>
internal static class S3TestData
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(content);
        return buffer.ToArray();
    }

    public static byte[] Gunzip(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    public static byte[] EventLine(int i) => Utf8($"{{\"ts\":{1541105830796L + i},\"userId\":\"{i % 90 + 1}\",\"page\":\"NextSong\"}}\n");

    public static async Task PutAsync(IAmazonS3 s3, string bucket, string key, byte[] content)
    {
        using var body = new MemoryStream(content, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, AutoCloseStream = false });
    }

    /// <summary>Uploads many objects a few at a time (the emulator is single-process).</summary>
    public static Task PutManyAsync(IAmazonS3 s3, string bucket, IEnumerable<KeyValuePair<string, byte[]>> objects) =>
        Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (o, _) => await PutAsync(s3, bucket, o.Key, o.Value));

    public static async Task<byte[]> ReadAllAsync(System.IO.Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    /// <summary>Reads an object the way the pipeline does: fetched again when a transient fault breaks the read.</summary>
    public static async Task<byte[]> ReadWithRetriesAsync(IObjectSource source, SourceObject obj, int attempts = 5)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReadAllAsync(await source.OpenReadAsync(obj, CancellationToken.None));
            }
            catch (IOException) when (attempt < attempts)
            {
            }
        }
    }

    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items) list.Add(item);
        return list;
    }
}
