using System.Globalization;

namespace RpaWorker.Engine.Templates;

/// <summary>
/// Names visible to templates: inputs, secrets, extracted records and lists, loop items, variables. A child scope
/// (a loop item, a work item, a sub-flow's parameters) sees its parent's names and hides them with its own.
/// Values are strings, records (<see cref="IReadOnlyDictionary{TKey,TValue}"/> of string to value) or lists.
/// </summary>
public sealed class Scope
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private readonly Scope? _parent;

    /// <summary>Creates a root scope.</summary>
    public Scope() { }

    private Scope(Scope parent) => _parent = parent;

    /// <summary>A child scope for a loop item, work item or sub-flow.</summary>
    public Scope Child() => new(this);

    /// <summary>Sets a name in this scope.</summary>
    public void Set(string name, object? value) => _values[name] = value;

    /// <summary>Sets a name in the scope that already holds it, or in this one (so a loop can append to an outer list).</summary>
    public void SetWhereDefined(string name, object? value)
    {
        for (var s = this; s is not null; s = s._parent)
        {
            if (s._values.ContainsKey(name))
            {
                s._values[name] = value;
                return;
            }
        }
        _values[name] = value;
    }

    /// <summary>Looks a name up here, then in the parents.</summary>
    public bool TryGet(string name, out object? value)
    {
        for (var s = this; s is not null; s = s._parent)
        {
            if (s._values.TryGetValue(name, out value))
            {
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <summary>The names set in this scope only (not the parents').</summary>
    public IReadOnlyDictionary<string, object?> Own => _values;

    /// <summary>
    /// Resolves a dotted path (<c>patient.name.family</c>, <c>row.bp[0]</c>, <c>problems.count</c>) to a value,
    /// or returns false when a part is missing.
    /// </summary>
    public bool TryResolve(string path, out object? value)
    {
        value = null;
        var parts = SplitPath(path);
        if (parts.Count == 0 || !TryGet(parts[0], out var current))
        {
            return false;
        }
        foreach (var part in parts.Skip(1))
        {
            switch (current)
            {
                case Running.InvalidValue:
                    // A value that did not parse stands for everything below it; the renderer reports its reason.
                    value = current;
                    return true;
                case IReadOnlyDictionary<string, object?> record when record.TryGetValue(part, out var next):
                    current = next;
                    break;
                case IReadOnlyList<object?> list when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index):
                    if (index >= list.Count)
                    {
                        return false;
                    }
                    current = list[index];
                    break;
                case IReadOnlyList<object?> list when part == "count":
                    current = list.Count.ToString(CultureInfo.InvariantCulture);
                    break;
                default:
                    return false;
            }
        }
        value = current;
        return true;
    }

    /// <summary><c>a.b[0].c</c> → a, b, 0, c.</summary>
    internal static List<string> SplitPath(string path)
    {
        var parts = new List<string>();
        foreach (var segment in path.Split('.', StringSplitOptions.TrimEntries))
        {
            var bracket = segment.IndexOf('[');
            if (bracket < 0)
            {
                parts.Add(segment);
                continue;
            }
            parts.Add(segment[..bracket]);
            foreach (var index in segment[bracket..].Split(['[', ']'], StringSplitOptions.RemoveEmptyEntries))
            {
                parts.Add(index);
            }
        }
        return parts.Where(p => p.Length > 0).ToList();
    }
}
