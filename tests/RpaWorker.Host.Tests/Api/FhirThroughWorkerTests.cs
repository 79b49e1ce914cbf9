using System.Net;
using System.Text.Json.Nodes;
using RpaWorker.Host.Runs;
using RpaWorker.Host.Tests.Support;
using RpaWorker.MockEhr.Generate;

namespace RpaWorker.Host.Tests.Api;

[Collection(TestWorker.Collection)]
public sealed class FhirThroughWorkerTests
{
    private static readonly Dictionary<string, string?> OnDemand = new()
    {
        ["Ehrs:mock:PatientIdentifierSystem"] = "urn:rpaworker:mock-ehr:mrn",
        ["FhirApi:OnDemandWait"] = "00:03:00",
    };

    [Fact]
    public async Task SearchByIdentifier_PatientNotYetRead_RunsThePlaybookForThatPatientAndAnswersWithIt()
    {
        await using var worker = await TestWorker.StartAsync(patients: 3, OnDemand);
        var mrn = ChartGenerator.Generate(3, 5).Last().Patient.Mrn;
        using var client = worker.Client();

        var response = await client.GetAsync($"/fhir/Patient?identifier=urn:rpaworker:mock-ehr:mrn|{mrn}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var bundle = JsonNode.Parse(body)!;
        // The searchset holds the match and, as an include, the Provenance that says where it came from.
        var patient = Assert.Single(Resources(bundle, "Patient"));
        Assert.Single(Resources(bundle, "Provenance"));
        Assert.Equal(mrn, (string?)patient["identifier"]![0]!["value"]);
        // It was one on-demand run of one patient, visible to the operator.
        using var ops = worker.Client();
        var runs = JsonNode.Parse(await ops.GetStringAsync("/api/runs"))!.AsArray();
        var run = Assert.Single(runs)!;
        Assert.Equal(("on-demand", "succeeded"), ((string?)run["trigger"], ((string?)run["status"])!.ToLowerInvariant()));

        // Asked again while fresh, it is served from the store: no second run.
        var again = await client.GetAsync($"/fhir/Patient?identifier=urn:rpaworker:mock-ehr:mrn|{mrn}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(JsonNode.Parse(await ops.GetStringAsync("/api/runs"))!.AsArray());
        var conditions = JsonNode.Parse(await client.GetStringAsync($"/fhir/Condition?patient={(string?)patient["id"]}"))!;
        Assert.NotEmpty(Resources(conditions, "Condition"));
    }

    private static List<JsonNode> Resources(JsonNode bundle, string type) =>
        [.. (bundle["entry"]?.AsArray() ?? []).Select(e => e!["resource"]!).Where(r => (string?)r["resourceType"] == type)];

    [Fact]
    public async Task FhirApi_OtherTenant_SeesNoneOfTheData()
    {
        await using var worker = await TestWorker.StartAsync(patients: 2);
        var id = await worker.StartRunAsync(new { ehr = "mock" });
        Assert.Equal(RunStatus.Succeeded, (await worker.WaitForRunAsync(id)).Run.Status);
        var patientId = (await worker.ItemsAsync(id))[0].PatientId;
        using var a = worker.Client();
        using var b = worker.Client(TestWorker.KeyB);

        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"/fhir/Patient/{patientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/fhir/Patient/{patientId}")).StatusCode);
        Assert.Empty(Resources(JsonNode.Parse(await b.GetStringAsync("/fhir/Patient"))!, "Patient"));
        Assert.Equal(2, Resources(JsonNode.Parse(await a.GetStringAsync("/fhir/Patient"))!, "Patient").Count);
    }
}
