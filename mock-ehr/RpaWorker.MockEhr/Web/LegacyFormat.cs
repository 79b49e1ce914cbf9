using System.Globalization;
using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Web;

/// <summary>
/// How the screens print values. Dates stay as partial as the store holds them ("1987", "03/1987"),
/// and anything that does not parse is shown raw: a legacy screen never hides what it has.
/// </summary>
internal static class LegacyFormat
{
    private static readonly CultureInfo Us = CultureInfo.GetCultureInfo("en-US");

    /// <summary>"DOE, JOHN A".</summary>
    public static string Name(LegacyPatient p)
    {
        var middle = string.IsNullOrWhiteSpace(p.MiddleName) ? "" : " " + p.MiddleName.Trim()[..1];
        return $"{p.LastName}, {p.FirstName}{middle}".ToUpperInvariant();
    }

    /// <summary>"03/14/1987", "03/1987", "1987" or "" — from an ISO date or date-time.</summary>
    public static string Date(string? iso)
    {
        if (string.IsNullOrWhiteSpace(iso))
        {
            return "";
        }
        var d = iso.Length > 10 ? iso[..10] : iso;
        return d.Length switch
        {
            4 => d,
            7 when d[4] == '-' => $"{d[5..7]}/{d[..4]}",
            10 when DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var x) =>
                x.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture),
            _ => iso,
        };
    }

    /// <summary>"03/14/2019 14:05" from "2019-03-14T14:05"; a date alone stays a date.</summary>
    public static string DateTime(string? iso) =>
        TryDateTime(iso, out var dt) ? dt.ToString("MM/dd/yyyy HH:mm", CultureInfo.InvariantCulture) : Date(iso);

    /// <summary>"Mar 5 '19" — the short style the flowsheet and visit list use.</summary>
    public static string Short(string? iso)
    {
        if (string.IsNullOrWhiteSpace(iso) || iso.Length < 10 ||
            !DateOnly.TryParseExact(iso[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return Date(iso);
        }
        return d.ToString("MMM d \\'yy", Us);
    }

    /// <summary>"14:05" from a date-time, or "".</summary>
    public static string Time(string? iso) =>
        TryDateTime(iso, out var dt) ? dt.ToString("HH:mm", CultureInfo.InvariantCulture) : "";

    /// <summary>Age in whole years at <paramref name="at"/>; partial birth dates give the year difference.</summary>
    public static string Age(string? birthIso, DateOnly at)
    {
        if (string.IsNullOrWhiteSpace(birthIso) || birthIso.Length < 4 ||
            !int.TryParse(birthIso[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return "";
        }
        var age = at.Year - year;
        if (birthIso.Length >= 10 &&
            DateOnly.TryParseExact(birthIso[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var b) &&
            at < b.AddYears(age))
        {
            age--;
        }
        return age < 0 ? "" : age.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>MM/DD/YYYY (also M/D/YYYY) typed in the search box to ISO, or null.</summary>
    public static string? ParseTypedDate(string? typed) =>
        !string.IsNullOrWhiteSpace(typed) &&
        System.DateTime.TryParseExact(typed.Trim(), ["MM/dd/yyyy", "M/d/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;

    /// <summary>A code system URI as the screens abbreviate it: SNOMED, RxNorm, LOINC, CVX, or the URI itself.</summary>
    public static string CodeSystem(string? uri) => uri switch
    {
        null => "",
        CodeSystems.Snomed => "SNOMED",
        CodeSystems.RxNorm => "RxNorm",
        CodeSystems.Loinc => "LOINC",
        CodeSystems.Cvx => "CVX",
        _ => uri,
    };

    public static string Sex(string sex) => sex switch
    {
        "M" => "Male",
        "F" => "Female",
        "O" => "Other",
        _ => "Unknown",
    };

    /// <summary>HL7 v3 MaritalStatus code as a word.</summary>
    public static string Marital(string? code) => code switch
    {
        null or "" => "",
        "A" => "Annulled",
        "D" => "Divorced",
        "I" => "Interlocutory",
        "L" => "Legally Separated",
        "M" => "Married",
        "C" => "Common Law",
        "P" => "Polygamous",
        "T" => "Domestic Partner",
        "U" => "Unmarried",
        "S" => "Never Married",
        "W" => "Widowed",
        "UNK" => "Unknown",
        _ => code,
    };

    /// <summary>A BCP-47 code as the language's English name ("es" → "Spanish").</summary>
    public static string Language(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return "";
        }
        try
        {
            var c = CultureInfo.GetCultureInfo(code);
            while (!c.IsNeutralCulture && c.Parent != CultureInfo.InvariantCulture)
            {
                c = c.Parent;
            }
            return c.EnglishName is { Length: > 0 } name && !name.StartsWith("Unknown", StringComparison.Ordinal) ? name : code;
        }
        catch (CultureNotFoundException)
        {
            return code;
        }
    }

    private static bool TryDateTime(string? iso, out System.DateTime value)
    {
        value = default;
        return iso is { Length: 16 } &&
            System.DateTime.TryParseExact(iso, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }
}
