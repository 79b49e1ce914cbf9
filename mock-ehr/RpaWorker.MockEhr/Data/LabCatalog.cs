using System.Globalization;

namespace RpaWorker.MockEhr.Data;

/// <summary>
/// The mock lab's catalogue: adult reference ranges per LOINC code, as a lab information system
/// would print them next to each result. Codes not listed have no range and no abnormal flag.
/// </summary>
public static class LabCatalog
{
    /// <summary>A reference range; either bound may be absent (e.g. HDL has only a low bound).</summary>
    public sealed record Range(decimal? Low, decimal? High, string Unit);

    private static readonly Dictionary<string, Range> Ranges = new(StringComparer.Ordinal)
    {
        ["718-7"] = new(12.0m, 17.5m, "g/dL"),          // Hemoglobin
        ["4544-3"] = new(36m, 52m, "%"),                // Hematocrit
        ["20570-8"] = new(36m, 52m, "%"),               // Hematocrit
        ["6690-2"] = new(4.5m, 11.0m, "10*3/uL"),       // Leukocytes
        ["789-8"] = new(4.2m, 5.9m, "10*6/uL"),         // Erythrocytes
        ["787-2"] = new(80m, 100m, "fL"),               // MCV
        ["785-6"] = new(27m, 33m, "pg"),                // MCH
        ["786-4"] = new(32m, 36m, "g/dL"),              // MCHC
        ["777-3"] = new(150m, 400m, "10*3/uL"),         // Platelets
        ["21000-5"] = new(39m, 46m, "fL"),              // RDW
        ["32207-3"] = new(10m, 17.9m, "fL"),            // PDW
        ["32623-1"] = new(7.5m, 11.5m, "fL"),           // MPV
        ["2093-3"] = new(null, 200m, "mg/dL"),          // Total cholesterol
        ["2571-8"] = new(null, 150m, "mg/dL"),          // Triglycerides
        ["18262-6"] = new(null, 100m, "mg/dL"),         // LDL
        ["2085-9"] = new(40m, null, "mg/dL"),           // HDL
        ["33914-3"] = new(60m, null, "mL/min/{1.73_m2}"), // eGFR
        ["2339-0"] = new(70m, 99m, "mg/dL"),            // Glucose
        ["6299-2"] = new(7m, 20m, "mg/dL"),             // BUN
        ["38483-4"] = new(0.6m, 1.3m, "mg/dL"),         // Creatinine
        ["49765-1"] = new(8.5m, 10.2m, "mg/dL"),        // Calcium
        ["2947-0"] = new(136m, 145m, "mmol/L"),         // Sodium
        ["6298-4"] = new(3.5m, 5.1m, "mmol/L"),         // Potassium
        ["2069-3"] = new(98m, 107m, "mmol/L"),          // Chloride
        ["20565-8"] = new(22m, 29m, "mmol/L"),          // CO2
        ["4548-4"] = new(4.0m, 5.6m, "%"),              // HbA1c
        ["6768-6"] = new(44m, 147m, "U/L"),             // Alkaline phosphatase
        ["1742-6"] = new(7m, 56m, "U/L"),               // ALT
        ["1920-8"] = new(10m, 40m, "U/L"),              // AST
        ["2885-2"] = new(6.0m, 8.3m, "g/dL"),           // Total protein
        ["1751-7"] = new(3.4m, 5.4m, "g/dL"),           // Albumin
        ["1975-2"] = new(0.1m, 1.2m, "mg/dL"),          // Total bilirubin
        ["14959-1"] = new(null, 30m, "mg/g"),           // Microalbumin/creatinine
        ["33762-6"] = new(null, 125m, "pg/mL"),         // NT-proBNP
    };

    /// <summary>The reference range for <paramref name="loinc"/> in <paramref name="unit"/>, or null.</summary>
    /// <remarks>A range applies only when the result's unit is the catalogue's unit.</remarks>
    public static Range? Find(string loinc, string? unit) =>
        Ranges.TryGetValue(loinc, out var r) && string.Equals(r.Unit, unit, StringComparison.Ordinal) ? r : null;

    /// <summary>
    /// Fills <see cref="LegacyResult.RefLow"/>, <see cref="LegacyResult.RefHigh"/> and
    /// <see cref="LegacyResult.Flag"/> of a quantity lab result from the catalogue.
    /// </summary>
    public static LegacyResult WithReferenceRange(LegacyResult result)
    {
        if (result.Kind != ResultValueKind.Quantity || Find(result.Code, result.Unit) is not { } range ||
            !decimal.TryParse(result.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return result;
        }
        var flag = range.Low is { } lo && value < lo ? "L" : range.High is { } hi && value > hi ? "H" : "N";
        return result with
        {
            RefLow = range.Low?.ToString(CultureInfo.InvariantCulture),
            RefHigh = range.High?.ToString(CultureInfo.InvariantCulture),
            Flag = flag,
        };
    }

    /// <summary>Formats a measured value the way the screens show it: invariant, at most 2 decimals.</summary>
    public static string FormatValue(decimal value) =>
        Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture);
}
