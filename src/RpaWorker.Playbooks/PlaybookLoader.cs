using RpaWorker.Playbooks.Loading;
using RpaWorker.Playbooks.Model;
using RpaWorker.Playbooks.Validation;
using RpaWorker.Playbooks.Yaml;

namespace RpaWorker.Playbooks;

/// <summary>The outcome of loading one playbook file.</summary>
/// <param name="File">The file as given.</param>
/// <param name="Playbook">The definition; null when the file could not be read into one. Only use it when <see cref="Ok"/>.</param>
/// <param name="Errors">Every error found, in file order.</param>
public sealed record PlaybookLoadResult(string File, PlaybookDefinition? Playbook, IReadOnlyList<PlaybookError> Errors)
{
    /// <summary>True when the playbook loaded with no error.</summary>
    public bool Ok => Playbook is not null && Errors.Count == 0;
}

/// <summary>Loads playbook files into definitions and validates them, reporting every error with file:line:column.</summary>
public static class PlaybookLoader
{
    /// <summary>File endings taken as playbooks when a folder is given.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".yaml", ".yml"];

    /// <summary>Loads and validates the YAML text of one playbook.</summary>
    /// <param name="file">The file name to report errors against.</param>
    /// <param name="text">The YAML text.</param>
    /// <param name="validators">Extra validators, run after the built-in ones.</param>
    public static PlaybookLoadResult LoadText(string file, string text, IEnumerable<IPlaybookValidator>? validators = null)
    {
        var errors = new List<PlaybookError>();
        var root = YamlTreeReader.Read(file, text, errors);
        PlaybookDefinition? playbook = null;
        if (root is not null)
        {
            playbook = new PlaybookReader(new NodeReader(errors)).Playbook(root);
        }
        if (playbook is not null)
        {
            foreach (var validator in BuiltInValidators.All.Concat(validators ?? []))
            {
                errors.AddRange(validator.Validate(playbook));
            }
        }
        var ordered = errors.Distinct().OrderBy(e => e.Location.Line).ThenBy(e => e.Location.Column).ToList();
        return new PlaybookLoadResult(file, playbook, ordered);
    }

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
    /// Loads every playbook named: files as they are, folders recursively (*.yaml, *.yml, in name order).
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
                    .Where(f => !Path.GetFileName(f).StartsWith('_')) // _shared.yaml style fragments are not playbooks
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
