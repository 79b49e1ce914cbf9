using System.Text;
using RpaWorker.Playbooks;
using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Healing;

/// <summary>
/// Heals as edits of the playbook text: the locator or header is changed where it is written, so comments, layout and
/// everything else in the file stay as the engineer left them.
/// </summary>
public static class PlaybookPatch
{
    /// <summary>
    /// The edit that makes the first alternative of a target written at <paramref name="alternative"/> find
    /// <paramref name="locator"/> instead; null when the file no longer reads as it did at load.
    /// </summary>
    internal static HealEdit? Locator(TargetAlternative alternative, UiLocator locator)
    {
        var line = Line(alternative.Location);
        if (line is null)
        {
            return null;
        }
        var key = PlaybookNames.Of(alternative.Kind);
        var keyAt = alternative.Location.Column - 1;
        if (string.Compare(line, keyAt, key, 0, key.Length, StringComparison.Ordinal) != 0)
        {
            return null;
        }
        var newKey = PlaybookNames.Of(Map(locator.Kind));
        if (locator.Kind == LocatorKind.Role && alternative.Kind == TargetKind.Role && locator.Value == alternative.Value)
        {
            // The role stays; its name changes.
            var nameAt = line.IndexOf("name:", keyAt, StringComparison.Ordinal);
            var value = nameAt < 0 ? null : ScalarAfter(line, nameAt + "name:".Length);
            return value is { } v ? new HealEdit(alternative.Location.File, alternative.Location.Line, v.Start + 1, line[v.Start..v.End], Quote(locator.Name ?? "")) : null;
        }
        if (locator.Name is not null || keyAt + key.Length >= line.Length || line[keyAt + key.Length] != ':')
        {
            return null;
        }
        var scalar = ScalarAfter(line, keyAt + key.Length + 1);
        if (alternative.Name is not null)
        {
            // role: link, name: "Old" becomes text: "New": the span up to the name goes.
            var nameAt = line.IndexOf("name:", keyAt, StringComparison.Ordinal);
            scalar = nameAt < 0 ? null : ScalarAfter(line, nameAt + "name:".Length);
        }
        if (scalar is not { } s)
        {
            return null;
        }
        return newKey == key
            ? new HealEdit(alternative.Location.File, alternative.Location.Line, s.Start + 1, line[s.Start..s.End], Quote(locator.Value))
            : new HealEdit(alternative.Location.File, alternative.Location.Line, keyAt + 1, line[keyAt..s.End], $"{newKey}: {Quote(locator.Value)}");
    }

    /// <summary>The edit that renames a column's header key; null when the file no longer reads as it did at load.</summary>
    internal static HealEdit? Header(ColumnDefinition column, string header)
    {
        var line = Line(column.Location);
        if (line is null)
        {
            return null;
        }
        var at = column.Location.Column - 1;
        var end = ScalarEnd(line, at, key: true);
        return end > at ? new HealEdit(column.Location.File, column.Location.Line, at + 1, line[at..end], Quote(header)) : null;
    }

    /// <summary>Applies edits to their files. Every edit is checked first; none is written if one no longer fits.</summary>
    /// <exception cref="HealStoreException">A file changed since the heal was found: the text the edit replaces is not there.</exception>
    public static IReadOnlyList<string> Apply(IReadOnlyList<HealEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        var files = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var edit in edits)
        {
            if (!files.TryGetValue(edit.File, out var lines))
            {
                if (!File.Exists(edit.File))
                {
                    throw new HealStoreException($"{edit.File} does not exist any more");
                }
                files[edit.File] = lines = File.ReadAllLines(edit.File);
            }
            if (At(lines, edit) < 0)
            {
                throw new HealStoreException($"{edit.File}:{edit.Line}:{edit.Column} no longer reads {edit.Old}: the playbook changed since the heal was found");
            }
        }
        // Right to left within a line, so earlier columns stay where they were.
        foreach (var edit in edits.OrderByDescending(e => e.Column))
        {
            var lines = files[edit.File];
            lines[edit.Line - 1] = Replace(lines[edit.Line - 1], edit);
        }
        foreach (var (file, lines) in files)
        {
            var text = File.ReadAllText(file);
            var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
            File.WriteAllText(file, string.Join(newline, lines) + (text.EndsWith('\n') ? newline : ""));
        }
        return [.. files.Keys];
    }

    /// <summary>The edits as a unified diff (two lines of context), one file after another.</summary>
    public static string Diff(IReadOnlyList<HealEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        var sb = new StringBuilder();
        foreach (var file in edits.GroupBy(e => e.File))
        {
            var lines = File.Exists(file.Key) ? File.ReadAllLines(file.Key) : [];
            sb.Append("--- a/").Append(Relative(file.Key)).Append('\n').Append("+++ b/").Append(Relative(file.Key)).Append('\n');
            foreach (var lineEdits in file.GroupBy(e => e.Line).OrderBy(g => g.Key))
            {
                var n = lineEdits.Key;
                var old = n <= lines.Length ? lines[n - 1] : "";
                var changed = old;
                foreach (var edit in lineEdits.OrderByDescending(e => e.Column))
                {
                    changed = Replace(changed, edit);
                }
                var first = Math.Max(1, n - 2);
                var last = Math.Min(lines.Length, n + 2);
                var count = last - first + 1;
                sb.Append($"@@ -{first},{count} +{first},{count} @@\n");
                for (var i = first; i <= last; i++)
                {
                    if (i == n)
                    {
                        sb.Append('-').Append(old).Append('\n').Append('+').Append(changed).Append('\n');
                    }
                    else
                    {
                        sb.Append(' ').Append(lines[i - 1]).Append('\n');
                    }
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Where the edit's old text starts on its line: at its column, or, when an earlier accepted edit on the same line
    /// moved it, its only occurrence on the line; -1 when it is not there (or not only once).
    /// </summary>
    private static int At(string[] lines, HealEdit edit) => edit.Line >= 1 && edit.Line <= lines.Length ? At(lines[edit.Line - 1], edit) : -1;

    private static int At(string line, HealEdit edit)
    {
        if (edit.Column >= 1 && line.Length >= edit.Column - 1 + edit.Old.Length &&
            string.Compare(line, edit.Column - 1, edit.Old, 0, edit.Old.Length, StringComparison.Ordinal) == 0)
        {
            return edit.Column - 1;
        }
        var first = line.IndexOf(edit.Old, StringComparison.Ordinal);
        return first >= 0 && line.IndexOf(edit.Old, first + 1, StringComparison.Ordinal) < 0 ? first : -1;
    }

    private static string Replace(string line, HealEdit edit) =>
        At(line, edit) is var at and >= 0 ? line[..at] + edit.New + line[(at + edit.Old.Length)..] : line;

    private static string Relative(string file)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), file);
        return relative.StartsWith("..", StringComparison.Ordinal) ? file.TrimStart('/') : relative;
    }

    private static string? Line(SourceLocation at)
    {
        if (!File.Exists(at.File))
        {
            return null;
        }
        var lines = File.ReadAllLines(at.File);
        return at.Line >= 1 && at.Line <= lines.Length ? lines[at.Line - 1] : null;
    }

    /// <summary>The scalar that starts after <paramref name="from"/> (spaces skipped): its start and end.</summary>
    private static (int Start, int End)? ScalarAfter(string line, int from)
    {
        var start = from;
        while (start < line.Length && line[start] == ' ')
        {
            start++;
        }
        var end = ScalarEnd(line, start, key: false);
        return end > start ? (start, end) : null;
    }

    private static int ScalarEnd(string line, int start, bool key)
    {
        if (start >= line.Length)
        {
            return start;
        }
        if (line[start] is '"' or '\'')
        {
            var quote = line[start];
            for (var i = start + 1; i < line.Length; i++)
            {
                if (quote == '"' && line[i] == '\\')
                {
                    i++;
                    continue;
                }
                if (line[i] == quote)
                {
                    if (quote == '\'' && i + 1 < line.Length && line[i + 1] == '\'')
                    {
                        i++;
                        continue;
                    }
                    return i + 1;
                }
            }
            return start;
        }
        var end = start;
        while (end < line.Length && !(key ? line[end] == ':' && (end + 1 == line.Length || line[end + 1] == ' ') : line[end] is ',' or '}' or ']')
               && !(line[end] == '#' && end > 0 && line[end - 1] == ' '))
        {
            end++;
        }
        return line[..end].TrimEnd().Length;
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static TargetKind Map(LocatorKind kind) => kind switch
    {
        LocatorKind.Role => TargetKind.Role,
        LocatorKind.Label => TargetKind.Label,
        LocatorKind.Text => TargetKind.Text,
        LocatorKind.RightOf => TargetKind.RightOf,
        LocatorKind.Below => TargetKind.Below,
        LocatorKind.NearHeading => TargetKind.NearHeading,
        LocatorKind.Css => TargetKind.Css,
        LocatorKind.XPath => TargetKind.XPath,
        LocatorKind.AccessibilityId => TargetKind.AccessibilityId,
        LocatorKind.OcrText => TargetKind.OcrText,
        _ => TargetKind.Ai,
    };
}
