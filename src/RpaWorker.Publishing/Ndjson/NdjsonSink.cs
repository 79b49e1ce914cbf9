using RpaWorker.Publishing.Ndjson;

namespace RpaWorker.Publishing;

/// <summary>
/// Writes resources in the FHIR Bulk Data layout: one <c>&lt;Type&gt;.ndjson</c> file per resource type in one folder,
/// one resource per line, UTF-8 without BOM, <c>\n</c> line endings.
/// </summary>
/// <remarks>
/// Upserts by id, merging with the files an earlier run left in the folder: republishing the same resources leaves the
/// files byte for byte as they were. New ids are appended (and flushed to disk) as they arrive, so a crash loses at most
/// the batch in flight; a type's file is rewritten (temp file, then atomic rename) only when an id already in it
/// changes. Concurrent <see cref="PublishAsync"/> calls are serialised. One sink instance (one process) should write a
/// folder at a time.
/// </remarks>
public sealed class NdjsonSink : IResourceSink
{
    private const string Extension = ".ndjson";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, NdjsonTypeFile> _files = new(StringComparer.Ordinal);

    /// <summary>Creates a sink writing into <paramref name="directory"/> (created on the first publish).</summary>
    public NdjsonSink(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The full path of the folder the files are written to.</summary>
    public string Directory { get; }

    /// <inheritdoc />
    public string Name => "ndjson";

    /// <inheritdoc />
    public async Task PublishAsync(IReadOnlyList<PublishedResource> batch, CancellationToken cancellationToken)
    {
        var resources = PublishedBatch.Normalize(batch);
        if (resources.Count == 0)
        {
            return;
        }

        // Every line is checked before any file is touched, so a bad resource does not leave half a batch behind.
        var lines = resources.Select(r => (r.ResourceType, r.Id, Line: NdjsonTypeFile.ToLine(r))).ToList();

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            foreach (var group in lines.GroupBy(r => r.ResourceType, StringComparer.Ordinal))
            {
                if (!_files.TryGetValue(group.Key, out var file))
                {
                    file = await NdjsonTypeFile.OpenAsync(FilePath(Directory, group.Key), cancellationToken).ConfigureAwait(false);
                    _files.Add(group.Key, file);
                }

                try
                {
                    await file.UpsertAsync(group.Select(r => (r.Id, r.Line)), cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    // The index may be ahead of the file now: read the file again next time.
                    _files.Remove(group.Key);
                    throw;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reads every <c>*.ndjson</c> file of a folder in the Bulk Data layout, in file name then line order. The resource
    /// type is taken from the file name; <see cref="PublishedResource.Identifier"/> is null. A missing folder reads as empty.
    /// </summary>
    /// <exception cref="RpaWorkerException">A line is not a JSON object with an id.</exception>
    public static IReadOnlyList<PublishedResource> ReadAll(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var result = new List<PublishedResource>();
        if (!System.IO.Directory.Exists(directory))
        {
            return result;
        }

        foreach (var path in System.IO.Directory.GetFiles(directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            var type = Path.GetFileNameWithoutExtension(path);
            if (!PublishedBatch.IsValidType(type))
            {
                continue;
            }

            foreach (var (id, line) in NdjsonTypeFile.Read(path).Entries)
            {
                result.Add(new PublishedResource(type, id, line));
            }
        }

        return result;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string FilePath(string directory, string resourceType) => Path.Combine(directory, resourceType + Extension);
}
