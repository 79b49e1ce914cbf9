using RpaWorker.Playbooks.Loading;
using RpaWorker.Playbooks.Model;
using RpaWorker.Playbooks.Validation;
using RpaWorker.Playbooks.Yaml;

namespace RpaWorker.Playbooks;

/// <summary>The outcome of loading one playbook file.</summary>
/// <param name="File">The file as given.</param>
/// <param name="Playbook">The definition; null when the file could not be read into one. Only use it when <see cref="Ok"/>.</param>
/// <param name="Errors">Every error found, the file's own first in line order, then those of the files it imports.</param>
public sealed record PlaybookLoadResult(string File, PlaybookDefinition? Playbook, IReadOnlyList<PlaybookError> Errors)
{
    /// <summary>True when the playbook loaded with no error.</summary>
    public bool Ok => Playbook is not null && Errors.Count == 0;

    /// <summary>
    /// True when the file is not a playbook but a shared file for playbooks to import (it has none of playbook, version,
    /// driver and steps). It was checked on its own as far as it can be (shape, templates); <see cref="Playbook"/> is null.
    /// </summary>
    public bool IsShared { get; init; }
}

/// <summary>
/// Reads a file that a playbook imports, by its path as the loader resolved it (relative to the importing file, with
/// '/' separators); null when there is no such file. May throw <see cref="IOException"/> or
/// <see cref="UnauthorizedAccessException"/>, which the loader reports as an error at the import.
/// </summary>
public delegate string? ImportReader(string path);

/// <summary>Loads playbook files into definitions and validates them, reporting every error with file:line:column.</summary>
public static class PlaybookLoader
{
    /// <summary>File endings taken as playbooks when a folder is given.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".yaml", ".yml"];

    /// <summary>Reads imported files from the file system.</summary>
    public static readonly ImportReader FileSystem = path => File.Exists(path) ? File.ReadAllText(path) : null;

    // What a shared file read on its own can be checked for; references to lists, flows and concept maps of the
    // playbooks that import it are checked when they load.
    private static readonly IReadOnlyList<IPlaybookValidator> SharedFileValidators = [new ReadOnlyGuardValidator(), new TemplateValidator()];

    /// <summary>Loads and validates the YAML text of one playbook, or checks a shared file (see <see cref="PlaybookLoadResult.IsShared"/>).</summary>
    /// <param name="file">The file name to report errors against; imports are resolved relative to it.</param>
    /// <param name="text">The YAML text.</param>
    /// <param name="validators">Extra validators, run after the built-in ones.</param>
    /// <param name="imports">Reads imported files; default <see cref="FileSystem"/>.</param>
    public static PlaybookLoadResult LoadText(string file, string text, IEnumerable<IPlaybookValidator>? validators = null, ImportReader? imports = null)
    {
        var errors = new List<PlaybookError>();
        var root = YamlTreeReader.Read(file, text, errors);
        var nodes = new NodeReader(errors);
        var reader = new PlaybookReader(nodes);
        PlaybookDefinition? playbook = null;
        var shared = root is YMap top && IsShared(top);
        if (root is YMap map)
        {
            var importer = new Imports(nodes, imports ?? FileSystem);
            var imported = importer.Load(file, map);
            if (shared)
            {
                importer.OnlyImportable(map);
                var sharedFile = reader.SharedFile(map, imported);
                foreach (var validator in SharedFileValidators)
                {
                    errors.AddRange(validator.Validate(sharedFile));
                }
            }
            else
            {
                playbook = reader.Playbook(map, imported);
            }
        }
        else if (root is not null)
        {
            playbook = reader.Playbook(root, []);
        }
        if (playbook is not null)
        {
            foreach (var validator in BuiltInValidators.All.Concat(validators ?? []))
            {
                errors.AddRange(validator.Validate(playbook));
            }
        }
        var ordered = errors.Distinct()
            .OrderBy(e => e.Location.File == file ? 0 : 1).ThenBy(e => e.Location.File, StringComparer.Ordinal)
            .ThenBy(e => e.Location.Line).ThenBy(e => e.Location.Column).ToList();
        return new PlaybookLoadResult(file, playbook, ordered) { IsShared = shared };
    }

    /// <summary>A mapping with none of the keys only a playbook has, and something a playbook can import.</summary>
    private static bool IsShared(YMap map) =>
        !PlaybookNames.PlaybookOnlyKeys.Any(map.Has) && PlaybookNames.ImportableKeys.Any(map.Has);

    /// <summary>Loads and validates one playbook file. An unreadable file is an error at line 1, not an exception.</summary>
    public static PlaybookLoadResult LoadFile(string path, IEnumerable<IPlaybookValidator>? validators = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new PlaybookLoadResult(path, null, [new PlaybookError(new SourceLocation(path, 1, 1), $"cannot read the file: {ex.Message}")]);
        }
        return LoadText(path, text, validators);
    }

    /// <summary>
    /// Loads every playbook named: files as they are, folders recursively (*.yaml, *.yml, in name order). Shared files
    /// that playbooks import are checked on their own too (<see cref="PlaybookLoadResult.IsShared"/>).
    /// A path that does not exist is reported as an error result.
    /// </summary>
    public static IReadOnlyList<PlaybookLoadResult> LoadPaths(IEnumerable<string> paths, IEnumerable<IPlaybookValidator>? validators = null)
    {
        var extra = validators?.ToList() ?? [];
        var results = new List<PlaybookLoadResult>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal);
                results.AddRange(files.Select(f => LoadFile(f, extra)));
            }
            else if (File.Exists(path))
            {
                results.Add(LoadFile(path, extra));
            }
            else
            {
                results.Add(new PlaybookLoadResult(path, null, [new PlaybookError(new SourceLocation(path, 1, 1), "no such file or folder")]));
            }
        }
        return results;
    }
}
