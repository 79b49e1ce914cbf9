using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RpaWorker.Host.FhirApi;

/// <summary>An interval of time: from (inclusive) to before (exclusive); a null end is open.</summary>
internal readonly record struct TimeRange(DateTimeOffset? From, DateTimeOffset? Before)
{
    public TimeRange Intersect(TimeRange other) => new(
        From is null ? other.From : other.From is null ? From : From > other.From ? From : other.From,
        Before is null ? other.Before : other.Before is null ? Before : Before < other.Before ? Before : other.Before);
}

/// <summary>The value syntax of FHIR search (http://hl7.org/fhir/R4/search.html): escapes, tokens, references, dates with prefixes.</summary>
internal static partial class FhirSearchValues
{
    /// <summary>
    /// Splits on <paramref name="separator"/> where it is not escaped with a backslash; the escape before a separator
    /// is removed, other escapes are kept for the next split.
    /// </summary>
    public static IReadOnlyList<string> Split(string value, char separator)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                if (value[i + 1] != separator)
                {
                    current.Append('\\');
                }

                current.Append(value[++i]);
            }
            else if (value[i] == separator)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(value[i]);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }

    /// <summary>Removes the remaining backslash escapes (<c>\,</c> <c>\|</c> <c>\$</c> <c>\\</c>).</summary>
    public static string Unescape(string value) => EscapePattern().Replace(value, "$1");

    /// <summary>
    /// A token <c>[system|]code</c>: system null when there is no bar (any system), empty when the bar leads (no system).
    /// </summary>
    public static (string? System, string Code) Token(string value)
    {
        var parts = Split(value, '|');
        return parts.Count == 1 ? (null, Unescape(parts[0])) : (Unescape(parts[0]), Unescape(string.Join('|', parts.Skip(1))));
    }

    /// <summary>
    /// A reference search value as <c>Type/id</c>: an id alone gets <paramref name="defaultType"/>; an absolute URL
    /// keeps its last <c>Type/id</c>. Null when the value is neither.
    /// </summary>
    public static string? Reference(string value, string defaultType)
    {
        var text = Unescape(value);
        return text.Contains('/', StringComparison.Ordinal)
            ? Publishing.StoreParameters.RelativeReference(text)
            : text.Length > 0 ? defaultType + "/" + text : null;
    }

    /// <summary>
    /// A date search value with its optional prefix as the interval it selects (eq, gt, ge, lt, le; the precision
    /// given fixes the interval: <c>2024</c> is the whole year). A value without a zone is taken as UTC. Null with an
    /// error when the prefix is not supported or the date does not parse.
    /// </summary>
    public static TimeRange? DateRange(string value, out string? error)
    {
        error = null;
        var text = Unescape(value);
        var prefix = text.Length > 2 && char.IsAsciiLetterLower(text[0]) && char.IsAsciiLetterLower(text[1]) ? text[..2] : "eq";
        if (prefix != "eq" || text.StartsWith("eq", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        if (prefix is not ("eq" or "gt" or "ge" or "lt" or "le"))
        {
            error = $"the prefix '{prefix}' is not supported (use eq, gt, ge, lt or le)";
            return null;
        }

        if (Interval(text) is not { } interval)
        {
            error = "the date does not parse (expected yyyy, yyyy-MM, yyyy-MM-dd or an instant such as 2024-05-01T10:00:00Z)";
            return null;
        }

        return prefix switch
        {
            "gt" => new TimeRange(interval.End, null),
            "ge" => new TimeRange(interval.Start, null),
            "lt" => new TimeRange(null, interval.Start),
            "le" => new TimeRange(null, interval.End),
            _ => new TimeRange(interval.Start, interval.End),
        };
    }

    private static (DateTimeOffset Start, DateTimeOffset End)? Interval(string text)
    {
        var match = DatePattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        try
        {
            int Part(string name, int otherwise) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : otherwise;
            var offset = TimeSpan.Zero;
            if (match.Groups["zone"].Success && match.Groups["zone"].Value != "Z")
            {
                var zone = match.Groups["zone"].Value;
                offset = new TimeSpan(int.Parse(zone[1..3], CultureInfo.InvariantCulture), int.Parse(zone[4..6], CultureInfo.InvariantCulture), 0);
                offset = zone[0] == '-' ? -offset : offset;
            }

            var fraction = match.Groups["fraction"].Value;
            var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
            var start = new DateTimeOffset(Part("year", 1), Part("month", 1), Part("day", 1), Part("hour", 0), Part("minute", 0), Part("second", 0), offset).AddTicks(ticks);
            var end = fraction.Length > 0 ? start.AddTicks((long)Math.Pow(10, 7 - Math.Min(fraction.Length, 7)))
                : match.Groups["second"].Success ? start.AddSeconds(1)
                : match.Groups["minute"].Success ? start.AddMinutes(1)
                : match.Groups["day"].Success ? start.AddDays(1)
                : match.Groups["month"].Success ? start.AddMonths(1)
                : start.AddYears(1);
            return (start, end);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\\([,|$\\])", RegexOptions.CultureInvariant)]
    private static partial Regex EscapePattern();

    [GeneratedRegex(
        @"^(?<year>\d{4})(-(?<month>\d{2})(-(?<day>\d{2})(T(?<hour>\d{2}):(?<minute>\d{2})(:(?<second>\d{2})(\.(?<fraction>\d{1,9}))?)?(?<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();
}
