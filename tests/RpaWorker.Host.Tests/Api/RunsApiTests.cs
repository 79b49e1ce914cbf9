using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RpaWorker.Host.Runs;
using RpaWorker.Host.Tests.Support;

namespace RpaWorker.Host.Tests.Api;

[Collection(TestWorker.Collection)]
public sealed class RunsApiTests
{
    [Fact]
    public async Task StartRun_AllPatients_EveryPatientSucceedsAndIsInTheTenantStore()
    {
        await using var worker = await TestWorker.StartAsync(patients: 3);

        var id = await worker.StartRunAsync(new { ehr = "mock" });
        var view = await worker.WaitForRunAsync(id);

        Assert.Equal(RunStatus.Succeeded, view.Run.Status);
        Assert.Equal(3, view.Progress.Planned);
        Assert.Equal(3, view.Progress.Succeeded);
        Assert.True(view.Progress.Resources["Patient"].Valid == 3, string.Join(", ", view.Progress.Resources));
        var items = await worker.ItemsAsync(id);
        Assert.All(items, i => Assert.Equal((ItemStatus.Succeeded, 1), (i.Status, i.Attempts)));
        var store = worker.Services.GetRequiredService<TenantStores>().Store("clinic-a");
        Assert.Equal(3, await store.CountAsync("Patient", CancellationToken.None));
        foreach (var item in items)
        {
            Assert.NotNull(await store.GetAsync("Patient", item.PatientId!, CancellationToken.None));
        }
    }

    [Fact]
    public async Task StartRun_PatientsFailingTheBannerGuard_GoToTheReviewQueueAndTheRunGoesOn()
    {
        // A playbook that checks some patients' banners against the wrong MRN, as a mix-up would.
        var folder = Directory.CreateTempSubdirectory("rpa-host-playbook-").FullName;
        try
        {
            var chart = File.ReadAllText(TestWorker.ChartPlaybook);
            var mixedUp = chart.Replace("- set: { current_mrn: \"{{ p.mrn }}\" }",
                "- set: { current_mrn: \"{{ p.mrn | regex: '^(.*[02468])$' | then: '0000000' }}{{ p.mrn | regex: '^(.*[13579])$' }}\" }", StringComparison.Ordinal);
            var playbook = Path.Combine(folder, "mixed-up.yaml");
            File.WriteAllText(playbook, mixedUp);
            // The shared file the chart playbook imports goes with it, at the same relative path.
            Directory.CreateDirectory(Path.Combine(folder, "shared"));
            File.Copy(Path.Combine(Path.GetDirectoryName(TestWorker.ChartPlaybook)!, "shared", "chart-sections.yaml"), Path.Combine(folder, "shared", "chart-sections.yaml"));
            await using var worker = await TestWorker.StartAsync(patients: 6, new Dictionary<string, string?> { ["Ehrs:mock:Playbook"] = playbook }, seed: 21);

            var id = await worker.StartRunAsync(new { ehr = "mock" });
            var view = await worker.WaitForRunAsync(id);

            Assert.Equal(RunStatus.CompletedWithFailures, view.Run.Status);
            var items = await worker.ItemsAsync(id);
            Assert.Equal(6, items.Count);
            var review = items.Where(i => i.Status == ItemStatus.Review).ToList();
            Assert.NotEmpty(review);
            Assert.Contains(items, i => i.Status == ItemStatus.Succeeded);
            Assert.All(review, i =>
            {
                Assert.Equal(2, i.Attempts);
                Assert.Contains("wrong-patient guard", i.Reason);
            });
            using var client = worker.Client();
            var queue = await client.GetFromJsonAsync<List<ItemRecord>>("/api/review", TestWorker.Json);
            Assert.Equal(review.Select(i => i.ItemId).Order(), queue!.Select(i => i.ItemId).Order());
            // Nothing of a patient that failed was published.
            var store = worker.Services.GetRequiredService<TenantStores>().Store("clinic-a");
            foreach (var item in review)
            {
                Assert.Null(await store.GetAsync("Patient", item.PatientId!, CancellationToken.None));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task CancelRun_WhileRunning_StopsBeforeTheListIsDoneAndKeepsWhatWasRead()
    {
        await using var worker = await TestWorker.StartAsync(patients: 12);
        var id = await worker.StartRunAsync(new { ehr = "mock" });
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(3);
        while ((await worker.GetRunAsync(id)).Progress.Succeeded < 1)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "no patient finished in time");
            await Task.Delay(200);
        }

        using var client = worker.Client();
        var cancel = await client.PostAsync($"/api/runs/{id}/cancel", null);
        var view = await worker.WaitForRunAsync(id);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(RunStatus.Cancelled, view.Run.Status);
        Assert.InRange(view.Progress.Succeeded, 1, 11);
        var store = worker.Services.GetRequiredService<TenantStores>().Store("clinic-a");
        Assert.Equal(view.Progress.Succeeded, await store.CountAsync("Patient", CancellationToken.None));
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/runs/{id}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task StartRun_UnknownInputOrOtherTenantsEhr_IsRefusedWithTheReason()
    {
        await using var worker = await TestWorker.StartAsync(patients: 1);
        using var a = worker.Client();
        using var b = worker.Client(TestWorker.KeyB);

        var unknown = await a.PostAsJsonAsync("/api/runs", new { ehr = "mock", inputs = new { color = "red" } });
        var otherTenant = await b.PostAsJsonAsync("/api/runs", new { ehr = "mock" });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("unknown input(s) color", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
        Assert.Contains("no EHR named 'mock' for this tenant", await otherTenant.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EveryEndpointButHealth_RejectsMissingWrongAndOtherTenantCredentials()
    {
        await using var worker = await TestWorker.StartAsync(patients: 1);
        var runId = await worker.StartRunAsync(new { ehr = "mock" });
        await worker.WaitForRunAsync(runId);
        using (var a = worker.Client())
        {
            var put = await a.PutAsJsonAsync("/api/schedules/nightly", new { ehr = "mock", cron = "0 0 2 * * ?" });
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        var endpoints = worker.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Pattern: e.RoutePattern.RawText!, Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            .ToList();
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/api/runs", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Pattern == "/metrics");
        using var none = worker.Client(null);
        using var wrong = worker.Client("not-a-key");
        using var other = worker.Client(TestWorker.KeyB);
        foreach (var (pattern, methods) in endpoints)
        {
            var path = pattern.Replace("{id}", pattern.Contains("schedules", StringComparison.Ordinal) ? "nightly" : runId, StringComparison.Ordinal)
                .Replace("{documentName}", "v1", StringComparison.Ordinal);
            foreach (var method in methods)
            {
                var health = path.StartsWith("/health", StringComparison.Ordinal);
                foreach (var client in new[] { none, wrong })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "POST" or "PUT" ? JsonContent.Create(new { ehr = "mock" }) : null };
                    var response = await client.SendAsync(request);
                    if (health)
                    {
                        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode}");
                    }
                    else
                    {
                        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} without a valid key: {(int)response.StatusCode}");
                    }
                }
                if (!health && path.Contains(runId, StringComparison.Ordinal) || path.Contains("nightly", StringComparison.Ordinal))
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "POST" or "PUT" ? JsonContent.Create(new { ehr = "mock", cron = "0 0 3 * * ?" }) : null };
                    var response = await other.SendAsync(request);
                    Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.BadRequest,
                        $"{method} {path} with another tenant's key: {(int)response.StatusCode}");
                }
            }
        }
        // The other tenant sees none of clinic-a's runs, schedules or review queue.
        Assert.Equal("[]", await other.GetStringAsync("/api/runs"));
        Assert.Equal("[]", await other.GetStringAsync("/api/schedules"));
        Assert.Equal("[]", await other.GetStringAsync("/api/playbooks"));
    }
}
