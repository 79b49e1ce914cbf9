using System.Collections.Concurrent;
using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RpaWorker.Connectors;
using RpaWorker.Fhir;
using RpaWorker.Host.Tests.FhirApi.Support;
using Task = System.Threading.Tasks.Task;

namespace RpaWorker.Host.Tests.FhirApi;

/// <summary>
/// The FHIR API connector against a plain FHIR server: a CapabilityStatement with no RpaWorker extensions, no
/// <c>$export</c>, no <c>$events</c>, search parameters listed without <c>_id</c>/<c>_lastUpdated</c>, paging by its own
/// next links.
/// </summary>
public sealed class PlainFhirServerTests : IAsyncLifetime
{
    private const int PatientCount = 7;

    private readonly ConcurrentQueue<string> _requests = new();
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private FhirApiConnector _sut = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Use((context, next) =>
        {
            _requests.Enqueue(context.Request.Path + context.Request.QueryString);
            return next(context);
        });
        _app.MapGet("/r4/metadata", () => Fhir(Statement()));
        _app.MapGet("/r4/Patient/{id}", (string id) => Patients().FirstOrDefault(p => p.Id == id) is { } patient
            ? Fhir(patient)
            : Fhir(new OperationOutcome { Issue = [new() { Severity = OperationOutcome.IssueSeverity.Error, Code = OperationOutcome.IssueType.NotFound }] }, 404));
        _app.MapGet("/r4/Patient", (HttpContext context) => Fhir(SearchPage(context)));
        await _app.StartAsync();
        _http = new HttpClient();
        _sut = new FhirApiConnector(new Uri(_app.Urls.Single() + "/r4"), _http, new FhirApiConnectorOptions { PageSize = 3 }, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task GetCapabilitiesAsync_PlainStatement_IsLiveAndOffersExportAndChangesBySearch()
    {
        var capabilities = FhirAssert.Ok(await _sut.GetCapabilitiesAsync(default));

        var patient = Assert.Single(capabilities.Resources);
        Assert.Equal(FreshnessPolicy.Live, patient.Freshness);
        Assert.Equal(["identifier", "_id", "_lastUpdated"], patient.SearchParameters.Select(p => p.Name));
        Assert.True(capabilities.SystemExport && capabilities.PatientExport && capabilities.ChangeStream);
    }

    [Fact]
    public async Task ReadAsync_KnownAndUnknownId_ReturnsTheResourceOrNotFound()
    {
        var read = FhirAssert.Ok(await _sut.ReadAsync(new ReadRequest("Patient", "p3"), default));

        Assert.Equal(DataFreshness.Live, read.Freshness);
        Assert.Equal("Doe3", ((Patient)FhirAssert.Parse(read.Resource.Json)).Name[0].Family);
        Assert.Empty(read.Provenance);
        FhirAssert.Failed(await _sut.ReadAsync(new ReadRequest("Patient", "p99"), default), ConnectorFailureKind.NotFound);
        FhirAssert.Failed(await _sut.ReadAsync(new ReadRequest("Observation", "o1"), default), ConnectorFailureKind.UnknownResourceType);
    }

    [Fact]
    public async Task ExportAsync_ServerWithoutBulkData_PagesThroughSearchInstead()
    {
        var ids = new List<string>();
        await foreach (var item in _sut.ExportAsync(new ExportRequest(ExportLevel.System), default))
        {
            ids.Add(FhirAssert.Ok(item).Id);
        }

        Assert.Equal(Enumerable.Range(1, PatientCount).Select(i => $"p{i}"), ids);
        Assert.DoesNotContain(_requests, r => r.Contains("$export", StringComparison.Ordinal));
        Assert.Equal(3, _requests.Count(r => r.StartsWith("/r4/Patient?", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SearchAsync_ParameterTheServerDoesNotList_FailsWithoutAskingIt()
    {
        FhirAssert.Failed(await _sut.SearchAsync(new SearchRequest("Patient", [new("name", "doe")]), default), ConnectorFailureKind.UnsupportedParameter);

        Assert.DoesNotContain(_requests, r => r.Contains("name=", StringComparison.Ordinal));
    }

    private static IEnumerable<Patient> Patients() => Enumerable.Range(1, PatientCount).Select(i => new Patient
    {
        Id = $"p{i}",
        Identifier = [new Identifier("urn:example:mrn", $"{1000 + i}")],
        Name = [new HumanName { Family = $"Doe{i}" }],
    });

    private static CapabilityStatement Statement() => new()
    {
        Status = PublicationStatus.Active,
        Kind = CapabilityStatementKind.Instance,
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["json"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Resource =
                [
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = "Patient",
                        Interaction = [new() { Code = CapabilityStatement.TypeRestfulInteraction.Read }, new() { Code = CapabilityStatement.TypeRestfulInteraction.SearchType }],
                        SearchParam = [new() { Name = "identifier", Type = SearchParamType.Token }],
                    },
                ],
            },
        ],
    };

    /// <summary>Patients in pages of _count, the next page named by the server's own 'page' parameter.</summary>
    private static Bundle SearchPage(HttpContext context)
    {
        var size = int.TryParse(context.Request.Query["_count"], CultureInfo.InvariantCulture, out var count) ? count : 50;
        var page = int.TryParse(context.Request.Query["page"], CultureInfo.InvariantCulture, out var number) ? number : 0;
        var all = Patients().ToList();
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Total = all.Count,
            Entry = [.. all.Skip(page * size).Take(size).Select(p => new Bundle.EntryComponent { Resource = p, Search = new() { Mode = Bundle.SearchEntryMode.Match } })],
        };
        if ((page + 1) * size < all.Count)
        {
            var request = context.Request;
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = $"{request.Scheme}://{request.Host}/r4/Patient?_count={size}&page={page + 1}" });
        }

        return bundle;
    }

    private static IResult Fhir(Resource resource, int status = 200) =>
        Results.Text(FhirJson.Serialize(resource), "application/fhir+json", statusCode: status);
}
