using System.Globalization;
using System.Text.Json;

namespace RpaWorker.MockEhr.Import;

/// <summary>
/// Tolerant readers over FHIR JSON: a missing or wrongly typed element reads as null instead of
/// throwing, because real-world bundles are often incomplete and one bad element must not cost a chart.
/// </summary>
internal static class FhirJson
{
    public static JsonElement? Prop(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static JsonElement? Prop(this JsonElement? e, string name) => e is { } x ? x.Prop(name) : null;

    public static string? Str(this JsonElement? e) =>
        e is { ValueKind: JsonValueKind.String } x && x.GetString() is { Length: > 0 } s ? s : null;

    public static string? Str(this JsonElement e, string name) => e.Prop(name).Str();

    public static string? Str(this JsonElement? e, string name) => e.Prop(name).Str();

    public static IEnumerable<JsonElement> Items(this JsonElement? e) =>
        e is { ValueKind: JsonValueKind.Array } x ? x.EnumerateArray() : [];

    public static IEnumerable<JsonElement> Items(this JsonElement e, string name) => e.Prop(name).Items();

    public static JsonElement? First(this JsonElement? e) => e.Items().Select(x => (JsonElement?)x).FirstOrDefault();

    public static JsonElement? First(this JsonElement e, string name) => e.Prop(name).First();

    public static decimal? Decimal(this JsonElement? e) =>
        e is { ValueKind: JsonValueKind.Number } x && x.TryGetDecimal(out var d) ? d : null;

    /// <summary>The first coding of a CodeableConcept, preferring one in <paramref name="preferredSystem"/>.</summary>
    public static JsonElement? Coding(this JsonElement? concept, string? preferredSystem = null)
    {
        var codings = concept.Prop("coding").Items().Where(c => c.Str("code") is not null).ToList();
        if (codings.Count == 0)
        {
            return null;
        }
        return preferredSystem is not null && codings.FirstOrDefault(c => c.Str("system") == preferredSystem) is { ValueKind: JsonValueKind.Object } p
            ? p
            : codings[0];
    }

    /// <summary>Display of a CodeableConcept: the coding's display, else the concept's text.</summary>
    public static string? Display(this JsonElement? concept, JsonElement? coding) => coding.Str("display") ?? concept.Str("text");

    /// <summary>
    /// The calendar date of a FHIR date or dateTime as written (partial dates stay partial), or null.
    /// The local date is kept, not the UTC one, because that is the date a clinician entered.
    /// </summary>
    public static string? DatePart(string? value)
    {
        if (value is null)
        {
            return null;
        }
        var date = value.Length > 10 ? value[..10] : value;
        return DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ||
               DateOnly.TryParseExact(date, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ||
               DateOnly.TryParseExact(date, "yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? date
            : null;
    }

    /// <summary>A FHIR dateTime as UTC "yyyy-MM-ddTHH:mm" (a date alone is taken as midnight UTC), or null.</summary>
    public static string? UtcMinute(string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length <= 10)
        {
            return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00"
                : null;
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto)
            ? dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>"stopped" → "Stopped", "on-hold" → "On hold".</summary>
    public static string Capitalise(string code) =>
        code.Length == 0 ? code : char.ToUpperInvariant(code[0]) + code[1..].Replace('-', ' ');
}
