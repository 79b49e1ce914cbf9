using System.Text.RegularExpressions;

namespace RpaWorker.Fhir;

/// <summary>One step of an assignment path: an element name and, for repeating elements, an index.</summary>
internal readonly record struct PathSegment(string Name, int? Index);

/// <summary>Parses assignment paths such as <c>component[0].valueQuantity.value</c>.</summary>
internal static partial class ElementPath
{
    [GeneratedRegex(@"^(?<name>[A-Za-z][A-Za-z0-9_]*(\[x\])?)(\[(?<index>[0-9]{1,4})\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentPattern();

    public static bool TryParse(string path, out IReadOnlyList<PathSegment> segments, out string? error)
    {
        var result = new List<PathSegment>();
        segments = result;
        error = null;
        if (string.IsNullOrWhiteSpace(path))
        {
            error = "empty path";
            return false;
        }

        foreach (var part in path.Split('.'))
        {
            var match = SegmentPattern().Match(part);
            if (!match.Success)
            {
                error = $"'{part}' is not an element name with an optional [index]";
                return false;
            }

            var name = match.Groups["name"].Value;
            if (name.EndsWith("[x]", StringComparison.Ordinal))
            {
                error = $"'{name}' is a choice element: write the type into the name, e.g. {name[..^3]}Quantity or {name[..^3]}String";
                return false;
            }

            int? index = match.Groups["index"].Success ? int.Parse(match.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            result.Add(new PathSegment(name, index));
        }

        return true;
    }
}
