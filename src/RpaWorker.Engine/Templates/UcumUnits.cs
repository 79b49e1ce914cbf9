using RpaWorker.Playbooks;

namespace RpaWorker.Engine.Templates;

/// <summary>
/// The written case of common UCUM units. UCUM codes are case-sensitive ("fL" is a femtolitre, "Pg" a petagram), but a
/// screen read by OCR can come back in the wrong case ("FL", "Pg" for "fL", "pg"): a unit that is not one of these as
/// written, but is one of them in another case, is given that one's case. Anything else is left as it is.
/// </summary>
internal static class UcumUnits
{
    private static readonly IReadOnlyList<string> Known = KnownValueLists.Ucum;

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
