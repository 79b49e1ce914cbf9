using System.Globalization;
using System.Text.RegularExpressions;
using RpaWorker.Playbooks;
using RpaWorker.Playbooks.Model;

namespace RpaWorker.Engine.Parsing;

/// <summary>The outcome of parsing a screen value: the value (string, record or list), or a PHI-free error.</summary>
public readonly record struct ParseOutcome(object? Value, string? Error)
{
    /// <summary>True when parsing succeeded (the value may be null for an empty cell).</summary>
    public bool Ok => Error is null;
}

/// <summary>
/// Turns text read off a screen into values, as a playbook's <c>parse</c> says. Never guesses: text that does not
/// fit is an error that names what was expected, never the text itself (it is PHI).
/// </summary>
public static partial class ValueParsers
{
    /// <summary>Runs a parser chain on <paramref name="text"/>. Empty text is a null value, not an error.</summary>
    /// <param name="text">The screen text.</param>
    /// <param name="chain">The parsers, in order.</param>
    /// <param name="maps">The playbook's concept maps.</param>
    /// <param name="currentYear">The run's year, for <c>past: true</c> two-digit years.</param>
    public static ParseOutcome Parse(string? text, IReadOnlyList<ParserDefinition> chain, IReadOnlyDictionary<string, ConceptMapDefinition> maps, int? currentYear = null)
    {
        object? value = Fold(text);
        foreach (var parser in chain)
        {
            if (value is null or "")
            {
                return new ParseOutcome(null, null);
            }
            var outcome = ParseOne(value as string ?? Engine.Templates.Template.AsText(value), parser, maps, currentYear);
            if (!outcome.Ok)
            {
                return outcome;
            }
            value = outcome.Value;
        }
        return new ParseOutcome(value is "" ? null : value, null);
    }

    /// <summary>Whitespace folded to single spaces and trimmed; null stays null.</summary>
    public static string? Fold(string? text) => text is null ? null : Whitespace().Replace(text, " ").Trim();

    private static ParseOutcome ParseOne(string text, ParserDefinition parser, IReadOnlyDictionary<string, ConceptMapDefinition> maps, int? currentYear) => parser.Kind switch
    {
        ParserKind.Text => new(text, null),
        ParserKind.Date => Date(text, parser.Formats, withTime: false, parser.Past ? currentYear ?? DateTime.MaxValue.Year : null),
        ParserKind.DateTime => Date(text, parser.Formats, withTime: true, parser.Past ? currentYear ?? DateTime.MaxValue.Year : null),
        ParserKind.Name => Name(text, parser.Formats.FirstOrDefault() ?? "last_comma_first"),
        ParserKind.Number => Number(text),
        ParserKind.Quantity => Quantity(text),
        ParserKind.Code => Code(text, parser.Map!, maps),
        ParserKind.Regex => Regex(text, parser.Pattern!),
        ParserKind.Split => new(text.Split(parser.Separator!, StringSplitOptions.TrimEntries).Cast<object?>().ToList(), null),
        _ => new(null, $"parser {parser.Kind} is not supported"),
    };

    /// <summary>
    /// Parses with the first format that fits and writes ISO 8601: <c>yyyy-MM-dd</c>, or <c>yyyy-MM</c> / <c>yyyy</c>
    /// when the format has no day / no month (partial dates stay partial), or <c>yyyy-MM-ddTHH:mm:ss+00:00</c> for
    /// date-times (times are taken as UTC unless the format carries an offset).
    /// </summary>
    internal static ParseOutcome Date(string text, IReadOnlyList<string> formats, bool withTime, int? pastYear = null)
    {
        var culture = CultureInfo.InvariantCulture;
        if (pastYear is { } year)
        {
            // A two-digit year is read as the latest year that is not after pastYear ('38 is 1938, not 2038).
            culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            culture.DateTimeFormat.Calendar.TwoDigitYearMax = year;
        }
        foreach (var format in formats)
        {
            if (!DateTimeOffset.TryParseExact(text, DateFormats.ToDotNet(format), culture,
                    DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var parsed))
            {
                continue;
            }
            if (withTime)
            {
                return new(parsed.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), null);
            }
            var hasDay = format.Contains('d');
            var hasMonth = format.Contains('M');
            return new(parsed.ToString(hasDay ? "yyyy-MM-dd" : hasMonth ? "yyyy-MM" : "yyyy", CultureInfo.InvariantCulture), null);
        }
        return new(null, $"is not a {(withTime ? "date-time" : "date")} in the format {string.Join(" or ", formats.Select(f => $"'{f}'"))}");
    }

    /// <summary>A person's name into a record: text, family, given (first), middle, and given_all (first + middle).</summary>
    internal static ParseOutcome Name(string text, string layout)
    {
        string family;
        string rest;
        if (layout == "last_comma_first")
        {
            var comma = text.IndexOf(',');
            if (comma <= 0)
            {
                return new(null, "is not a name written LAST, FIRST");
            }
            family = text[..comma].Trim();
            rest = text[(comma + 1)..].Trim();
        }
        else
        {
            var space = text.LastIndexOf(' ');
            if (space <= 0)
            {
                return new(null, "is not a name written FIRST LAST");
            }
            family = text[(space + 1)..].Trim();
            rest = text[..space].Trim();
        }
        var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (family.Length == 0 || words.Length == 0)
        {
            return new(null, "is not a full name (family and given name)");
        }
        // Legacy screens write "DOE, JOHN A": a last single letter is a middle initial; without one, every word
        // belongs to the first name ("DOE, MARY ANNE" is Mary Anne, not Mary with a middle name Anne).
        var hasInitial = words.Length > 1 && words[^1].TrimEnd('.').Length == 1;
        var given = hasInitial ? string.Join(' ', words[..^1]) : string.Join(' ', words);
        var middle = hasInitial ? words[^1].TrimEnd('.') : "";
        return new(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["text"] = text,
            ["family"] = family,
            ["given"] = given,
            ["middle"] = middle,
            ["given_all"] = (hasInitial ? new object?[] { given, middle } : [given]).ToList(),
        }, null);
    }

    internal static ParseOutcome Number(string text)
    {
        var cleaned = text.Replace(",", "", StringComparison.Ordinal);
        return decimal.TryParse(cleaned, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? new(value.ToString(CultureInfo.InvariantCulture), null)
            : new(null, "is not a number");
    }

    /// <summary>"72.5 kg" → { value: 72.5, unit: kg }; a bare number has an empty unit.</summary>
    internal static ParseOutcome Quantity(string text)
    {
        var m = QuantityPattern().Match(text);
        if (!m.Success)
        {
            return new(null, "is not a number with an optional unit");
        }
        var number = Number(m.Groups[1].Value);
        return number.Ok
            ? new(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["text"] = text,
                ["value"] = number.Value,
                ["unit"] = m.Groups[2].Value.Trim(),
            }, null)
            : number;
    }

    internal static ParseOutcome Code(string text, string mapName, IReadOnlyDictionary<string, ConceptMapDefinition> maps)
    {
        if (!maps.TryGetValue(mapName, out var map))
        {
            return new(null, $"concept map '{mapName}' is not defined");
        }
        if (!map.Entries.TryGetValue(text, out var code))
        {
            return new(null, $"has no entry in concept map '{mapName}'");
        }
        return new(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["text"] = text,
            ["code"] = code.Code,
            ["system"] = map.System,
            ["display"] = code.Display ?? text,
        }, null);
    }

    private static ParseOutcome Regex(string text, string pattern)
    {
        var m = System.Text.RegularExpressions.Regex.Match(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return m.Success && m.Groups.Count > 1 ? new(m.Groups[1].Value, null) : new(null, "does not match the expected pattern");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^([-+]?[\d,]*\.?\d+)\s*(.*)$")]
    private static partial Regex QuantityPattern();
}
