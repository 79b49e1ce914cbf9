using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RpaWorker.Fhir;

/// <summary>
/// Checks a rendered string against the lexical rules of its FHIR primitive type and turns it into the JSON
/// value FHIR JSON wants. Firely's parser is lenient about some of these (it keeps an impossible date such as
/// 1990-02-30 as a string), so the checks happen here, before parsing, and never guess a value.
/// </summary>
/// <remarks>Error texts describe the expected form only: the value itself is PHI and is never repeated.</remarks>
internal static partial class PrimitiveValues
{
    private const string DateForms = "YYYY, YYYY-MM or YYYY-MM-DD";
    private const string DateTimeForms = "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a time zone";

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalPattern();

    [GeneratedRegex(@"^(0|-?[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^(?<y>[0-9]{4})(-(?<m>[0-9]{2})(-(?<d>[0-9]{2}))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})T(?<h>[0-9]{2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})(\.[0-9]{1,9})?(?<tz>Z|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeWithTimePattern();

    [GeneratedRegex(@"^(?<h>[0-9]{2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})(\.[0-9]{1,9})?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^[^\s]+( [^\s]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\S*$", RegexOptions.CultureInvariant)]
    private static partial Regex NoWhitespacePattern();

    /// <summary>Converts <paramref name="value"/> to the JSON for FHIR type <paramref name="fhirType"/>, or explains what was expected.</summary>
    public static bool TryConvert(string fhirType, string value, out JsonNode? json, out string? expected)
    {
        json = null;
        expected = null;
        switch (fhirType)
        {
            case "decimal":
                if (!DecimalPattern().IsMatch(value))
                {
                    expected = "not a valid decimal (expected digits with an optional '.' fraction, e.g. 72.5)";
                    return false;
                }

                // Parsing the literal keeps its exact text (72.50 stays 72.50: trailing zeros are precision in FHIR).
                using (var document = JsonDocument.Parse(value))
                {
                    json = JsonValue.Create(document.RootElement.Clone());
                }

                return true;
            case "integer":
            case "positiveInt":
            case "unsignedInt":
                if (!IntegerPattern().IsMatch(value) || !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                    || (fhirType == "positiveInt" && number < 1) || (fhirType == "unsignedInt" && number < 0))
                {
                    expected = fhirType switch
                    {
                        "positiveInt" => "not a valid positiveInt (expected a whole number of 1 or more)",
                        "unsignedInt" => "not a valid unsignedInt (expected a whole number of 0 or more)",
                        _ => "not a valid integer (expected a whole number)",
                    };
                    return false;
                }

                json = JsonValue.Create(number);
                return true;
            case "boolean":
                if (value is not ("true" or "false"))
                {
                    expected = "not a valid boolean (expected true or false)";
                    return false;
                }

                json = JsonValue.Create(value == "true");
                return true;
            case "date":
                if (!IsDate(value))
                {
                    expected = $"not a valid date (expected {DateForms})";
                    return false;
                }

                break;
            case "dateTime":
                if (!IsDate(value) && !IsDateTimeWithTime(value))
                {
                    expected = $"not a valid dateTime (expected {DateTimeForms})";
                    return false;
                }

                break;
            case "instant":
                if (!IsDateTimeWithTime(value))
                {
                    expected = "not a valid instant (expected YYYY-MM-DDThh:mm:ss with a time zone)";
                    return false;
                }

                break;
            case "time":
                if (!IsTime(value))
                {
                    expected = "not a valid time (expected hh:mm:ss)";
                    return false;
                }

                break;
            case "code":
                if (!CodePattern().IsMatch(value))
                {
                    expected = "not a valid code (expected no leading, trailing or repeated whitespace)";
                    return false;
                }

                break;
            case "id":
                if (!IdPattern().IsMatch(value))
                {
                    expected = "not a valid id (expected 1-64 letters, digits, '-' or '.')";
                    return false;
                }

                break;
            case "uri":
            case "url":
            case "canonical":
            case "oid":
            case "uuid":
                if (!NoWhitespacePattern().IsMatch(value))
                {
                    expected = $"not a valid {fhirType} (expected no whitespace)";
                    return false;
                }

                break;
            case "base64Binary":
                if (!IsBase64(value))
                {
                    expected = "not valid base64Binary";
                    return false;
                }

                break;
        }

        json = JsonValue.Create(value);
        return true;
    }

    private static bool IsDate(string value)
    {
        var match = DatePattern().Match(value);
        if (!match.Success)
        {
            return false;
        }

        var year = int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
        if (year < 1)
        {
            return false;
        }

        if (!match.Groups["m"].Success)
        {
            return true;
        }

        var month = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12)
        {
            return false;
        }

        if (!match.Groups["d"].Success)
        {
            return true;
        }

        var day = int.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture);
        return day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    private static bool IsDateTimeWithTime(string value)
    {
        var match = DateTimeWithTimePattern().Match(value);
        return match.Success
            && match.Groups["date"].Value.Length == 10
            && IsDate(match.Groups["date"].Value)
            && IsClock(match.Groups["h"].Value, match.Groups["mi"].Value, match.Groups["s"].Value)
            && IsZone(match.Groups["tz"].Value);
    }

    private static bool IsTime(string value)
    {
        var match = TimePattern().Match(value);
        return match.Success && IsClock(match.Groups["h"].Value, match.Groups["mi"].Value, match.Groups["s"].Value);
    }

    private static bool IsClock(string hours, string minutes, string seconds) =>
        int.Parse(hours, CultureInfo.InvariantCulture) <= 23
        && int.Parse(minutes, CultureInfo.InvariantCulture) <= 59
        && int.Parse(seconds, CultureInfo.InvariantCulture) <= 60;

    private static bool IsZone(string zone) =>
        zone == "Z" || (int.Parse(zone[1..3], CultureInfo.InvariantCulture) <= 14 && int.Parse(zone[4..6], CultureInfo.InvariantCulture) <= 59);

    private static bool IsBase64(string value)
    {
        var buffer = new byte[((value.Length * 3) + 3) / 4];
        return Convert.TryFromBase64String(value, buffer, out _);
    }
}
