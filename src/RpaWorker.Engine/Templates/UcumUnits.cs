namespace RpaWorker.Engine.Templates;

/// <summary>
/// The written case of common UCUM units. UCUM codes are case-sensitive ("fL" is a femtolitre, "Pg" a petagram), but a
/// screen read by OCR can come back in the wrong case ("FL", "Pg" for "fL", "pg"): a unit that is not one of these as
/// written, but is one of them in another case, is given that one's case. Anything else is left as it is.
/// </summary>
internal static class UcumUnits
{
    private static readonly string[] Known =
    [
        "%", "/min", "{beats}/min", "{breaths}/min", "{score}", "{count}", "{T-score}", "{ratio}",
        "m", "cm", "mm", "km", "[in_i]", "[ft_i]", "kg", "g", "mg", "ug", "ng", "pg", "[lb_av]", "[oz_av]",
        "L", "dL", "mL", "uL", "fL", "s", "min", "h", "d", "wk", "mo", "a",
        "Cel", "[degF]", "K", "mm[Hg]", "kg/m2", "m2", "mL/min", "mL/min/{1.73_m2}", "L/min",
        "mol/L", "mmol/L", "umol/L", "nmol/L", "pmol/L", "mmol/mol", "mg/dL", "g/dL", "g/L", "mg/L", "ug/L", "ug/dL",
        "ng/mL", "pg/mL", "ug/mL", "mg/mL", "mg/g", "mg/(24.h)", "g/(24.h)",
        "U/L", "kU/L", "mU/L", "[IU]/L", "[IU]/mL", "m[IU]/L", "u[IU]/mL", "meq/L", "mosm/kg",
        "10*3/uL", "10*6/uL", "10*9/L", "10*12/L", "/uL", "/[HPF]", "/[LPF]", "fmol", "pg/{cell}", "[pH]",
    ];

    private static readonly HashSet<string> Exact = new(Known, StringComparer.Ordinal);

    // One-letter units are left out: "A" (ampere) or "M" (molar) read as such are not misread "a" (year) or "m" (metre).
    private static readonly Dictionary<string, string> ByFold = Known
        .Where(u => u.Length > 1)
        .GroupBy(u => u, StringComparer.OrdinalIgnoreCase)
        .Where(g => g.Count() == 1)
        .ToDictionary(g => g.Key, g => g.Single(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The unit in its UCUM case when it is a known unit written in another case; otherwise as given.</summary>
    public static string Canonical(string unit) =>
        Exact.Contains(unit) ? unit : ByFold.TryGetValue(unit.Trim(), out var known) ? known : unit;
}
