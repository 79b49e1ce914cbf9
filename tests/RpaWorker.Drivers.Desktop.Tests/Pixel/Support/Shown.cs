using System.Globalization;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel.Support;

/// <summary>How the mock EHR prints stored values (docs/mock-ehr.md), for comparing what the driver read with the store.</summary>
public static class Shown
{
    private static readonly CultureInfo Us = CultureInfo.GetCultureInfo("en-US");

    /// <summary>"03/14/1987", "03/1987", "1987" or "".</summary>
    public static string Date(string? iso) => iso switch
    {
        null or "" => "",
        { Length: 4 } => iso,
        { Length: 7 } => $"{iso[5..7]}/{iso[..4]}",
        _ => DateOnly.ParseExact(iso[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MM/dd/yyyy", CultureInfo.InvariantCulture),
    };

    /// <summary>The flowsheet's column head: "Mar 5 '19" over "14:05".</summary>
    public static string FlowsheetHead(string isoDateTime)
    {
        var at = DateTime.ParseExact(isoDateTime, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        return at.ToString("MMM d \\'yy", Us) + " " + at.ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    public static string Sex(string sex) => sex switch
    {
        "M" => "Male",
        "F" => "Female",
        "O" => "Other",
        _ => "Unknown",
    };
}
