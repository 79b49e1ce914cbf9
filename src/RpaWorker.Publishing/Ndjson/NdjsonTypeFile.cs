using System.Text;
using System.Text.Json;

namespace RpaWorker.Publishing.Ndjson;

/// <summary>
/// One <c>&lt;Type&gt;.ndjson</c> file and its in-memory index (id to line). Not thread-safe: the sink serialises access.
/// </summary>
internal sealed class NdjsonTypeFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly List<string> _lines;
    private readonly Dictionary<string, int> _index;

    private NdjsonTypeFile(string path, List<string> lines, Dictionary<string, int> index)
    {
        Path = path;
        _lines = lines;
        _index = index;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>The ids and lines in file order, one resource each.</summary>
    public IEnumerable<(string Id, string Line)> Entries =>
        _index.OrderBy(entry => entry.Value).Select(entry => (entry.Key, _lines[entry.Value]));

    /// <summary>
    /// Reads the file if it exists. A last line without its newline is what a crash during an append leaves: it is
    /// dropped, and the file is rewritten so that later appends start on a fresh line. Blank lines, CRLF endings and
    /// repeated ids (from other tools) are folded the same way, the last line of an id winning.
    /// </summary>
    /// <exception cref="RpaWorkerException">A complete line is not a JSON object with an id.</exception>
    public static async Task<NdjsonTypeFile> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path, Utf8NoBom, cancellationToken).ConfigureAwait(false) : "";
        var file = Parse(path, text, out var needsRewrite);
        if (needsRewrite)
        {
            await file.RewriteAsync().ConfigureAwait(false);
        }

        return file;
    }

    /// <summary>Reads the file without changing it (see <see cref="OpenAsync"/> for what is dropped).</summary>
    public static NdjsonTypeFile Read(string path) =>
        Parse(path, File.Exists(path) ? File.ReadAllText(path, Utf8NoBom) : "", out _);

    private static NdjsonTypeFile Parse(string path, string text, out bool needsRewrite)
    {
        var lines = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        needsRewrite = false;
        var start = 0;
        var lineNumber = 0;
        while (start < text.Length)
        {
            lineNumber++;
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                needsRewrite = true;
                break;
            }

            var line = text[start..end];
            start = end + 1;
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
                needsRewrite = true;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                needsRewrite = true;
                continue;
            }

            var id = ReadTypeAndId(line)?.Id ?? throw new RpaWorkerException(
                $"{System.IO.Path.GetFileName(path)} line {lineNumber} is not a FHIR resource with an id.");
            if (index.TryGetValue(id, out var at))
            {
                lines[at] = line;
                needsRewrite = true;
            }
            else
            {
                index.Add(id, lines.Count);
                lines.Add(line);
            }
        }

        return new NdjsonTypeFile(path, lines, index);
    }

    /// <summary>
    /// Upserts the resources: new ids are appended; a changed line makes the whole file be rewritten (temp file and
    /// atomic rename); unchanged lines leave the file untouched. The in-memory state changes first, so a caller must
    /// drop this instance when the call throws.
    /// </summary>
    public async Task UpsertAsync(IEnumerable<(string Id, string Line)> entries, CancellationToken cancellationToken)
    {
        var appended = new List<string>();
        var rewrite = false;
        foreach (var (id, line) in entries)
        {
            if (_index.TryGetValue(id, out var at))
            {
                if (string.Equals(_lines[at], line, StringComparison.Ordinal))
                {
                    continue;
                }

                _lines[at] = line;
                rewrite = true;
            }
            else
            {
                _index.Add(id, _lines.Count);
                _lines.Add(line);
                appended.Add(line);
            }
        }

        // Past this point the write is not cancelled: a half-written line would cost a rewrite on the next open.
        cancellationToken.ThrowIfCancellationRequested();
        if (rewrite)
        {
            await RewriteAsync().ConfigureAwait(false);
        }
        else if (appended.Count > 0)
        {
            await using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
            await WriteLinesAsync(stream, appended).ConfigureAwait(false);
        }
    }

    private async Task RewriteAsync()
    {
        var temp = Path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await WriteLinesAsync(stream, _lines).ConfigureAwait(false);
        }

        File.Move(temp, Path, overwrite: true);
    }

    private static async Task WriteLinesAsync(FileStream stream, IEnumerable<string> lines)
    {
        await using (var writer = new StreamWriter(stream, Utf8NoBom, 1 << 16, leaveOpen: true))
        {
            foreach (var line in lines)
            {
                await writer.WriteAsync(line).ConfigureAwait(false);
                await writer.WriteAsync('\n').ConfigureAwait(false);
            }
        }

        // Flushed to the disk before the sink returns, so what PublishAsync acknowledged survives a crash.
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The resource as one NDJSON line (without its newline), after checking its JSON names the same type and id.</summary>
    /// <exception cref="RpaWorkerException">The JSON is not an object with that resourceType and id.</exception>
    public static string ToLine(PublishedResource resource)
    {
        var json = resource.Json.Trim();
        // The file is indexed by the id inside each line when it is read again, so the JSON must agree with the
        // type and id it is published under, or a later run would add a second line for the same resource.
        if (ReadTypeAndId(json) is not { } found
            || !string.Equals(found.Id, resource.Id, StringComparison.Ordinal)
            || (found.ResourceType is not null && !string.Equals(found.ResourceType, resource.ResourceType, StringComparison.Ordinal)))
        {
            throw new RpaWorkerException(
                $"Resource {resource.ResourceType}/{resource.Id} is not a JSON object with that resourceType and id.");
        }

        if (json.AsSpan().IndexOfAny('\r', '\n') < 0)
        {
            return json;
        }

        // The contract asks for one-line JSON; a pretty-printed resource is compacted rather than breaking the file.
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement);
    }

    private static (string? ResourceType, string Id)? ReadTypeAndId(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id", out var id)
                || id.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var type = root.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return (type, id.GetString()!);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
