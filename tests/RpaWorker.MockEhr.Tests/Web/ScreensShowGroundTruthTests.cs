using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Export;
using RpaWorker.MockEhr.Generate;
using RpaWorker.MockEhr.Tests.Import;

namespace RpaWorker.MockEhr.Tests.Web;

/// <summary>
/// The ground-truth export is only fair to score a playbook against if every value it holds can be read off a
/// screen. These tests fetch every tab and page of every chart over plain HTTP (as a logged-in user) and check
/// that each exported resource's values appear on the screen where that resource belongs.
/// </summary>
[Collection(ImportedBundlesCollection.Name)]
public sealed partial class ScreensShowGroundTruthTests(ImportedBundlesFixture synthea)
{
    [Fact]
    public async Task EveryExportedValue_GeneratedCharts_AppearsOnItsScreen()
    {
        using var store = LegacyStore.InMemory();
        foreach (var chart in ChartGenerator.Generate(GeneratorCases.FirstOrdinaryIndex + 3, seed: 5))
        {
            store.AddChart(chart);
        }

        var missing = await FindUnshownValuesAsync(store);

        Assert.True(missing.Count == 0, string.Join("\n", missing.Take(30)));
    }

    [Fact]
    public async Task EveryExportedValue_SyntheaImport_AppearsOnItsScreen()
    {
        var missing = await FindUnshownValuesAsync(synthea.Store);

        Assert.True(missing.Count == 0, $"{missing.Count} values not on screen, e.g.:\n" + string.Join("\n", missing.Take(30)));
    }

    private static async Task<List<string>> FindUnshownValuesAsync(LegacyStore store)
    {
        var dir = Directory.CreateTempSubdirectory("mockehr-screens-").FullName;
        try
        {
            GroundTruthExporter.Export(store, dir);
            // A large page size puts each list on one page; the vitals flowsheet pages over dates regardless.
            await using var ehr = await MockEhrServer.StartAsync(store, new MockEhrOptions { PageSize = 100_000 });
            using var http = await LogInAsync(ehr.BaseAddress);
            var screens = new Dictionary<(string Patient, string Tab), string>();
            async Task<string> ScreenAsync(string patientId, string tab)
            {
                if (!screens.TryGetValue((patientId, tab), out var text))
                {
                    text = screens[(patientId, tab)] = await ReadAllPagesAsync(http, patientId, tab);
                }
                return text;
            }

            var missing = new List<string>();
            foreach (var (type, resource) in ReadExport(dir))
            {
                var patientId = (type == "Patient" ? resource.GetProperty("id").GetString()! : Reference(resource))["mock-".Length..];
                var (tab, values) = Expectations(type, resource);
                var screen = await ScreenAsync(patientId, tab);
                // Report the row and the field, never the value itself: the data is treated as PHI.
                missing.AddRange(values.Where(v => !screen.Contains(v.Value, StringComparison.Ordinal))
                    .Select(v => $"{resource.GetProperty("id").GetString()}: {v.Field} not on tab '{tab}'"));
            }
            return missing;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (string Tab, List<(string Field, string Value)> Values) Expectations(string type, JsonElement r)
    {
        var values = new List<(string, string)>();
        void Add(string field, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                values.Add((field, value));
            }
        }
        string Code(string path) => r.GetProperty(path).GetProperty("coding")[0].GetProperty("code").GetString()!;
        switch (type)
        {
            case "Patient":
                Add("identifier", r.GetProperty("identifier")[0].GetProperty("value").GetString());
                Add("name.family", r.GetProperty("name")[0].GetProperty("family").GetString()!.ToUpperInvariant());
                Add("birthDate", UsDate(r.TryGetProperty("birthDate", out var b) ? b.GetString() : null));
                if (r.TryGetProperty("address", out var a))
                {
                    Add("address.line", a[0].TryGetProperty("line", out var line) ? line[0].GetString() : null);
                    Add("address.postalCode", a[0].TryGetProperty("postalCode", out var zip) ? zip.GetString() : null);
                }
                Add("telecom", r.TryGetProperty("telecom", out var t) ? t[0].GetProperty("value").GetString() : null);
                return ("demographics", values);
            case "Condition":
                Add("code", Code("code"));
                Add("onset", UsDate(Str(r, "onsetDateTime")));
                Add("abatement", UsDate(Str(r, "abatementDateTime")));
                return ("problems", values);
            case "MedicationRequest":
                Add("medication", Code("medicationCodeableConcept"));
                Add("authoredOn", UsDate(Str(r, "authoredOn")));
                Add("sig", r.TryGetProperty("dosageInstruction", out var d) ? d[0].GetProperty("text").GetString() : null);
                Add("requester", r.TryGetProperty("requester", out var q) ? q.GetProperty("display").GetString() : null);
                return ("medications", values);
            case "AllergyIntolerance":
                Add("code", Code("code"));
                Add("recordedDate", UsDate(Str(r, "recordedDate")));
                Add("reaction", r.TryGetProperty("reaction", out var x) ? x[0].GetProperty("manifestation")[0].GetProperty("text").GetString() : null);
                return ("allergies", values);
            case "Immunization":
                Add("vaccineCode", Code("vaccineCode"));
                Add("occurrence", UsDate(Str(r, "occurrenceDateTime")));
                return ("immunizations", values);
            case "Encounter":
                Add("type", r.GetProperty("type")[0].GetProperty("coding")[0].GetProperty("code").GetString());
                Add("class", r.GetProperty("class").GetProperty("code").GetString());
                Add("reasonCode", r.TryGetProperty("reasonCode", out var rc) ? rc[0].GetProperty("coding")[0].GetProperty("code").GetString() : null);
                Add("period.end", UsDateTime(r.GetProperty("period").TryGetProperty("end", out var end) ? end.GetString() : null));
                Add("participant", r.TryGetProperty("participant", out var p) ? p[0].GetProperty("individual").GetProperty("display").GetString() : null);
                return ("encounters", values);
            case "DocumentReference":
                Add("description", Str(r, "description"));
                Add("author", r.GetProperty("author")[0].GetProperty("display").GetString());
                Add("context.period.start", UsDate(r.GetProperty("context").GetProperty("period").GetProperty("start").GetString()));
                return ("documents", values);
            default:
                var category = r.GetProperty("category")[0].GetProperty("coding")[0].GetProperty("code").GetString();
                var tab = category switch { "vital-signs" => "vitals", "laboratory" => "labs", "social-history" => "social", _ => "other" };
                if (r.TryGetProperty("component", out var components))
                {
                    Add("component", $"{Number(components[0])}/{Number(components[1])}");
                }
                else
                {
                    Add("code", Code("code"));
                }
                if (r.TryGetProperty("valueQuantity", out _))
                {
                    Add("valueQuantity", Number(r));
                }
                if (r.TryGetProperty("valueCodeableConcept", out var vc))
                {
                    Add("valueCodeableConcept.text", vc.TryGetProperty("text", out var text) ? text.GetString() : vc.GetProperty("coding")[0].GetProperty("display").GetString());
                    Add("valueCodeableConcept.code", vc.TryGetProperty("coding", out var coding) ? coding[0].GetProperty("code").GetString() : null);
                }
                Add("valueString", Str(r, "valueString"));
                if (tab != "vitals")
                {
                    Add("effective", UsDateTime(Str(r, "effectiveDateTime")));
                }
                return (tab, values);
        }
    }

    private static string Number(JsonElement withValue) =>
        withValue.GetProperty("valueQuantity").GetProperty("value").GetDecimal().ToString("0.##", CultureInfo.InvariantCulture);

    private static string? Str(JsonElement r, string name) => r.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static string Reference(JsonElement r) =>
        (r.TryGetProperty("subject", out var s) ? s : r.GetProperty("patient")).GetProperty("reference").GetString()!["Patient/".Length..];

    // Screens show full dates as MM/DD/YYYY and date-times as MM/DD/YYYY HH:MM; partial dates show as they are.
    private static string? UsDate(string? iso) => iso is { Length: >= 10 }
        ? $"{iso[5..7]}/{iso[8..10]}/{iso[..4]}"
        : iso is { Length: 7 } ? $"{iso[5..7]}/{iso[..4]}" : iso;

    private static string? UsDateTime(string? iso) => iso is { Length: >= 16 } ? $"{UsDate(iso)} {iso[11..16]}" : UsDate(iso);

    private static IEnumerable<(string Type, JsonElement Resource)> ReadExport(string dir) =>
        GroundTruthExporter.ResourceTypes.SelectMany(type => File.ReadLines(Path.Combine(dir, type + ".ndjson"))
            .Select(line => (type, JsonDocument.Parse(line).RootElement)));

    /// <summary>An HTTP client signed in to the mock EHR with the default account.</summary>
    internal static async Task<HttpClient> LogInAsync(Uri baseAddress)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = baseAddress };
        var defaults = new MockEhrOptions();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = defaults.UserName, ["password"] = defaults.Password });
        using var response = await http.PostAsync("/login", form);
        Assert.Contains("Patient Search", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        return http;
    }

    /// <summary>The decoded text of every page of one chart tab (the allergy list is read from its iframe document).</summary>
    private static async Task<string> ReadAllPagesAsync(HttpClient http, string patientId, string tab)
    {
        var text = new List<string>();
        for (var page = 1; page < 1000; page++)
        {
            var url = tab == "allergies" ? $"/frame/allergies/{patientId}?page={page}" : $"/chart/{patientId}?tab={tab}&page={page}";
            var html = await http.GetStringAsync(url);
            text.Add(WebUtility.HtmlDecode(Tags().Replace(html, " ")));
            if (!html.Contains($"page={page + 1}\"", StringComparison.Ordinal))
            {
                break;
            }
        }
        return string.Join("\n", text);
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
