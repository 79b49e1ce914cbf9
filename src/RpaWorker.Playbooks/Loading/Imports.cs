using RpaWorker.Playbooks.Yaml;

namespace RpaWorker.Playbooks.Loading;

/// <summary>
/// Reads the files a playbook imports (and the files they import) into YAML trees, in merge order: each file's own
/// imports come before the file. A file reached twice (two playbooks' shared mapping imported by one file, a diamond)
/// is read once; a file that imports itself through others is a cycle, reported at the import that closes it.
/// </summary>
internal sealed class Imports(NodeReader reader, ImportReader read)
{
    private readonly NodeReader r = reader;
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly List<YMap> _loaded = [];

    /// <summary>The imported files of <paramref name="root"/> (read from <paramref name="file"/>), in merge order.</summary>
    public IReadOnlyList<YMap> Load(string file, YMap root)
    {
        var self = ImportPaths.Normalize(file);
        _done.Add(self);
        Visit(file, root, [self]);
        return _loaded;
    }

    private void Visit(string file, YMap map, List<string> chain)
    {
        if (!map.Has("imports"))
        {
            return;
        }
        var node = map["imports"]!;
        if (node is YMap)
        {
            r.Error(node.Location, "imports must be a list of file paths, relative to this file");
            return;
        }
        foreach (var item in r.List(node))
        {
            if (r.String(item, "an import") is not { } relative)
            {
                continue;
            }
            var path = ImportPaths.Resolve(file, relative);
            if (chain.Contains(path))
            {
                r.Error(item.Location, $"imports form a cycle: {string.Join(" -> ", chain.Skip(chain.IndexOf(path)).Append(path))}");
                continue;
            }
            if (!_done.Add(path))
            {
                continue;
            }
            string? text;
            try
            {
                text = read(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                r.Error(item.Location, $"cannot read imported file '{relative}' ({path}): {ex.Message}");
                continue;
            }
            if (text is null)
            {
                r.Error(item.Location, $"imported file '{relative}' not found (looked for {path})");
                continue;
            }
            var tree = YamlTreeReader.Read(path, text, r.Errors);
            if (tree is null)
            {
                continue;
            }
            if (tree is not YMap shared)
            {
                r.Error(tree.Location, $"an imported file must be a mapping with {string.Join(", ", PlaybookNames.ImportableKeys)}, not {tree.KindName}");
                continue;
            }
            OnlyImportable(shared);
            chain.Add(path);
            Visit(path, shared, chain);
            chain.RemoveAt(chain.Count - 1);
            _loaded.Add(shared);
        }
    }

    /// <summary>Reports the keys of an imported file that only a playbook may have, saying why.</summary>
    public void OnlyImportable(YMap shared)
    {
        foreach (var key in shared.Entries.Select(e => e.Key).Where(k => !PlaybookNames.ImportableKeys.Contains(k.Value)))
        {
            r.Error(key.Location, PlaybookNames.TopLevel.Contains(key.Value)
                ? $"'{key.Value}' cannot be imported: an imported file holds only {string.Join(", ", PlaybookNames.ImportableKeys)}; " +
                  $"put '{key.Value}' in the playbook"
                : $"unknown key '{key.Value}' in an imported file; expected one of: {string.Join(", ", PlaybookNames.ImportableKeys)}" +
                  NodeReader.Suggest(key.Value, PlaybookNames.ImportableKeys));
        }
    }
}

/// <summary>Import paths: relative to the importing file, with '/' as the separator, '.' and '..' resolved without the file system.</summary>
internal static class ImportPaths
{
    /// <summary>The path of <paramref name="relative"/> imported by <paramref name="importer"/>.</summary>
    public static string Resolve(string importer, string relative)
    {
        relative = relative.Replace('\\', '/');
        if (relative.StartsWith('/') || Path.IsPathRooted(relative))
        {
            return Normalize(relative);
        }
        var slash = importer.Replace('\\', '/').LastIndexOf('/');
        return Normalize(slash < 0 ? relative : importer[..(slash + 1)] + relative);
    }

    /// <summary>
    /// Removes '.' segments and folds 'x/..' pairs, so the same file has one name however it was reached; a path that
    /// climbs above its start keeps its leading '..' segments.
    /// </summary>
    public static string Normalize(string path)
    {
        path = path.Replace('\\', '/');
        var rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }
            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".." || !rooted)
            {
                parts.Add(part);
            }
        }
        return (rooted ? "/" : "") + string.Join('/', parts);
    }
}
