using System.Net;
using System.Text.Json;

namespace RpaWorker.Host.Tests.FhirApi.Support;

internal static class HttpAssert
{
    /// <summary>Asserts the status and a FHIR JSON body, and returns the body.</summary>
    public static async Task<JsonElement> FhirJsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an OperationOutcome with <paramref name="status"/> whose first issue has <paramref name="code"/>.</summary>
    public static async Task<JsonElement> OutcomeAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var outcome = await FhirJsonAsync(response, status);
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Equal(code, outcome.GetProperty("issue")[0].GetProperty("code").GetString());
        return outcome;
    }

    /// <summary>Asks <paramref name="statusUrl"/> again while it answers 202; asserts the answer that ends it is 200.</summary>
    public static async Task<HttpResponseMessage> PollUntilDoneAsync(HttpClient client, Uri statusUrl)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var response = await client.GetAsync(statusUrl, timeout.Token);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return response;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>The resources of a searchset's entries with search mode <paramref name="mode"/>.</summary>
    public static IReadOnlyList<JsonElement> Entries(JsonElement bundle, string mode) =>
        [.. bundle.GetProperty("entry").EnumerateArray()
            .Where(e => e.GetProperty("search").GetProperty("mode").GetString() == mode)
            .Select(e => e.GetProperty("resource"))];

    /// <summary>The URL of the bundle's link with <paramref name="relation"/>, or null.</summary>
    public static string? Link(JsonElement bundle, string relation) =>
        bundle.GetProperty("link").EnumerateArray()
            .Where(l => l.GetProperty("relation").GetString() == relation)
            .Select(l => l.GetProperty("url").GetString())
            .FirstOrDefault();
}
