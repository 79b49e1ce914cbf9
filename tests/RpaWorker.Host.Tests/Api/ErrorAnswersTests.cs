using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using RpaWorker.Connectors;
using RpaWorker.Host.Runs;
using RpaWorker.Host.Tests.Runs;
using RpaWorker.Host.Tests.Support;

namespace RpaWorker.Host.Tests.Api;

[Collection(TestWorker.Collection)]
public sealed class ErrorAnswersTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task GetRun_RunStoreDatabaseDown_Answers503WithRetryAfterAndTheRunOnceItIsBack()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var worker = await TestWorker.StartAsync(patients: 1,
            services: s => s.AddSingleton(_ => RunStore.Postgres(database, TimeProvider.System)));
        var run = PostgresRunStoreTests.Run(shards: 1);
        await worker.Services.GetRequiredService<RunStore>().CreateRunAsync(run, CancellationToken.None);
        using var client = worker.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/runs/{run.Id}")).StatusCode);

        await postgres.StopAsync();
        HttpResponseMessage down;
        try
        {
            down = await client.GetAsync($"/api/runs/{run.Id}");
        }
        finally
        {
            await postgres.StartAgainAsync();
        }

        var body = await down.Content.ReadAsStringAsync();
        Assert.True(down.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)down.StatusCode}: {body}");
        Assert.Equal(TimeSpan.FromSeconds(5), down.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(body))
        {
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Contains("PostgreSQL", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        // Repeating the request, as the answer says, gets the run once the database is back.
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        HttpResponseMessage again;
        while ((again = await client.GetAsync($"/api/runs/{run.Id}")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(again.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)again.StatusCode}: {await again.Content.ReadAsStringAsync()}");
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "the run store did not answer again after the database came back");
            await Task.Delay(down.Headers.RetryAfter!.Delta!.Value / 10);
        }
        Assert.Contains(run.Id, await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FhirRead_StoreBusy_Answers503OperationOutcomeWithRetryAfter()
    {
        await using var worker = await TestWorker.StartAsync(patients: 1,
            services: s => s.AddScoped<IClinicalConnector>(_ => new ThrowingConnector(new SqliteException("database is locked", 5))));
        using var client = worker.Client();

        var response = await client.GetAsync("/fhir/Patient/abc123");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        using var outcome = JsonDocument.Parse(body);
        Assert.Equal("OperationOutcome", outcome.RootElement.GetProperty("resourceType").GetString());
        Assert.Equal("transient", outcome.RootElement.GetProperty("issue")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task FhirRead_UnexpectedError_Answers500WithoutTheExceptionText()
    {
        const string phi = "Jane Q Doe born 1970-04-01 MRN 55501234";
        await using var worker = await TestWorker.StartAsync(patients: 1,
            services: s => s.AddScoped<IClinicalConnector>(_ => new ThrowingConnector(new InvalidOperationException("cannot map " + phi))));
        using var client = worker.Client();

        var response = await client.GetAsync("/fhir/Patient/abc123");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"{(int)response.StatusCode}: {body}");
        Assert.Null(response.Headers.RetryAfter);
        using var outcome = JsonDocument.Parse(body);
        Assert.Equal("OperationOutcome", outcome.RootElement.GetProperty("resourceType").GetString());
        Assert.Equal("exception", outcome.RootElement.GetProperty("issue")[0].GetProperty("code").GetString());
        Assert.DoesNotContain("Jane", body, StringComparison.Ordinal);
        Assert.DoesNotContain("55501234", body, StringComparison.Ordinal);
    }

    /// <summary>A connector whose every call fails with one exception, as a broken store under it would make it.</summary>
    private sealed class ThrowingConnector(Exception failure) : IClinicalConnector
    {
        public Task<ConnectorResult<ConnectorCapabilities>> GetCapabilitiesAsync(CancellationToken cancellationToken) => throw failure;

        public Task<ConnectorResult<ReadResult>> ReadAsync(ReadRequest request, CancellationToken cancellationToken) => throw failure;

        public Task<ConnectorResult<SearchPage>> SearchAsync(SearchRequest request, CancellationToken cancellationToken) => throw failure;

        public IAsyncEnumerable<ConnectorResult<ConnectorResource>> ExportAsync(ExportRequest request, CancellationToken cancellationToken) => throw failure;

        public Task<ConnectorResult<IChangeSubscription>> SubscribeAsync(ChangeFilter filter, CancellationToken cancellationToken) => throw failure;
    }
}
