using System.Globalization;
using System.Text.RegularExpressions;
using RpaWorker.Playbooks.Yaml;

namespace RpaWorker.Playbooks.Loading;

/// <summary>
/// Reads typed values out of YAML nodes, recording an error (with the node's position and what was expected)
/// for every mismatch and carrying on, so that one pass reports every problem in a file.
/// </summary>
internal sealed partial class NodeReader(List<PlaybookError> errors)
{
    public List<PlaybookError> Errors { get; } = errors;

    public void Error(SourceLocation at, string message) => Errors.Add(new PlaybookError(at, message));

    public YMap? Map(YNode? node, string what)
    {
        if (node is YMap map)
        {
            return map;
        }
        if (node is not null)
        {
            Error(node.Location, $"{what} must be a mapping (key: value lines), not {node.KindName}");
        }
        return null;
    }

    /// <summary>A list; a single item where a list is expected is read as a one-item list.</summary>
    public IReadOnlyList<YNode> List(YNode? node) => node switch
    {
        null => [],
        YSeq seq => seq.Items,
        YScalar { IsNull: true } => [],
        _ => [node],
    };

    public string? String(YNode? node, string what)
    {
        switch (node)
        {
            case null:
                return null;
            case YScalar { IsNull: true }:
                Error(node.Location, $"{what} is empty; expected text");
                return null;
            case YScalar s:
                return s.Value;
            default:
                Error(node.Location, $"{what} must be text, not {node.KindName}");
                return null;
        }
    }

    public string? RequiredString(YMap map, string key, string what)
    {
        if (!map.Has(key))
        {
            Error(map.Location, $"{what} needs '{key}'");
            return null;
        }
        return String(map[key], $"'{key}' of {what}");
    }

    public bool? Bool(YNode? node, string what)
    {
        var s = String(node, what);
        switch (s)
        {
            case null:
                return null;
            case "true" or "True" or "yes":
                return true;
            case "false" or "False" or "no":
                return false;
            default:
                Error(node!.Location, $"{what} must be true or false, not '{s}'");
                return null;
        }
    }

    public int? Int(YNode? node, string what, int min)
    {
        var s = String(node, what);
        if (s is null)
        {
            return null;
        }
        if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }
        Error(node!.Location, $"{what} must be a whole number of at least {min}, not '{s}'");
        return null;
    }

    /// <summary>A duration such as 500ms, 10s, 2m or 1h.</summary>
    public TimeSpan? Duration(YNode? node, string what)
    {
        var s = String(node, what);
        if (s is null)
        {
            return null;
        }
        var m = DurationPattern().Match(s.Trim());
        if (!m.Success)
        {
            Error(node!.Location, $"{what} must be a duration such as 500ms, 10s or 2m, not '{s}'");
            return null;
        }
        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            _ => TimeSpan.FromHours(n),
        };
    }

    public TEnum? Enum<TEnum>(YNode? node, string what, IReadOnlyDictionary<string, TEnum> names) where TEnum : struct, System.Enum
    {
        var s = String(node, what);
        if (s is null)
        {
            return null;
        }
        if (names.TryGetValue(s, out var value))
        {
            return value;
        }
        Error(node!.Location, $"{what} '{s}' is not one of: {string.Join(", ", names.Keys)}{Suggest(s, names.Keys)}");
        return null;
    }

    /// <summary>Reports every key of <paramref name="map"/> that is not in <paramref name="allowed"/>.</summary>
    public void OnlyKeys(YMap map, string what, params string[] allowed)
    {
        foreach (var key in map.Entries.Select(e => e.Key).Where(k => !allowed.Contains(k.Value)))
        {
            Error(key.Location, $"unknown key '{key.Value}' in {what}; expected one of: {string.Join(", ", allowed)}{Suggest(key.Value, allowed)}");
        }
    }

    /// <summary>" (did you mean 'x'?)" when a known word is one or two edits away.</summary>
    public static string Suggest(string word, IEnumerable<string> known)
    {
        var best = known.Select(k => (k, d: Distance(word.ToLowerInvariant(), k.ToLowerInvariant()))).OrderBy(x => x.d).FirstOrDefault();
        return best.k is not null && best.d <= Math.Max(1, Math.Min(2, word.Length / 3)) ? $" (did you mean '{best.k}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }
        return d[a.Length, b.Length];
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
