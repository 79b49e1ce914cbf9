using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RpaWorker.Cli.Commands;

/// <summary>Parsers for option values that System.CommandLine has no built-in form for.</summary>
internal static partial class OptionParsers
{
    /// <summary>
    /// Parses a duration written as a number and a unit (<c>250ms</c>, <c>2s</c>, <c>15m</c>, <c>1h</c>), or as a
    /// TimeSpan (<c>00:15:00</c>). A bare number is refused: its unit would be a guess.
    /// </summary>
    public static TimeSpan Duration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (TryParseDuration(text, out var value))
        {
            return value;
        }
        result.AddError($"'{text}' is not a duration: write it like 250ms, 2s, 15m, 1h or 00:15:00");
        return TimeSpan.Zero;
    }

    /// <summary>Parses a share between 0 and 1 (<c>0.05</c>) or a percentage (<c>5%</c>).</summary>
    public static double Rate(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : "";
        var percent = text.EndsWith('%');
        if (double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            value = percent ? value / 100 : value;
            if (value is >= 0 and <= 1)
            {
                return value;
            }
        }
        result.AddError($"'{text}' is not a rate: write a share from 0 to 1 (0.05) or a percentage (5%)");
        return 0;
    }

    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        var m = DurationPattern().Match(text.Trim());
        if (m.Success)
        {
            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            value = m.Groups["u"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" or "min" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromHours(n),
            };
            return true;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero && text.Contains(':');
    }

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)\s*(?<u>ms|s|min|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
