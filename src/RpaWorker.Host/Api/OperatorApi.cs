using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using RpaWorker.Host.Configuration;
using RpaWorker.Host.Runs;
using RpaWorker.Host.Scheduling;
using RpaWorker.Host.Security;
using RpaWorker.Playbooks;

namespace RpaWorker.Host.Api;

/// <summary>Starting a run through the API.</summary>
/// <param name="Ehr">The EHR (configuration name).</param>
/// <param name="Inputs">Playbook inputs, e.g. <c>{ "mrn": "1234567" }</c> for one patient; none reads the whole patient list.</param>
/// <param name="Shards">How many parts the patient list is split into (sessions that can work at once). Default: the EHR's session cap.</param>
public sealed record StartRunRequest(string Ehr, Dictionary<string, string>? Inputs = null, int? Shards = null);

/// <summary>A run with its progress.</summary>
/// <param name="Run">The run.</param>
/// <param name="Progress">Its patients by status and resources by type.</param>
public sealed record RunView(RunRecord Run, RunProgress Progress);

/// <summary>A configured EHR's playbook and whether it validates.</summary>
/// <param name="Ehr">The EHR (configuration name).</param>
/// <param name="PlaybookId">Playbook id, when it loads.</param>
/// <param name="Version">Playbook version, when it loads.</param>
/// <param name="File">The playbook file.</param>
/// <param name="Valid">Whether it validates.</param>
/// <param name="Errors">Its errors as file:line:column: message.</param>
/// <param name="MaxSessions">The EHR's session cap.</param>
public sealed record PlaybookView(string Ehr, string? PlaybookId, string? Version, string File, bool Valid, IReadOnlyList<string> Errors, int MaxSessions);

/// <summary>The operator API under <c>/api</c>: runs, the review queue, schedules and playbooks, scoped to the caller's tenant.</summary>
public static class OperatorApi
{
    /// <summary>Maps the operator endpoints; every one requires an authenticated caller with a tenant.</summary>
    public static RouteGroupBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("operator");

        api.MapPost("/runs", async Task<Results<Created<RunView>, ProblemHttpResult>> (StartRunRequest request, HttpContext http, RunService runs, RunStore store, CancellationToken ct) =>
        {
            var (run, refusal) = await runs.StartAsync(Tenant(http), request.Ehr, request.Inputs, "api", request.Shards, ct);
            if (refusal is not null)
            {
                return TypedResults.Problem(refusal.Message, statusCode: refusal.Status);
            }
            return TypedResults.Created($"/api/runs/{run!.Id}", new RunView(run, await store.ProgressAsync(run, ct)));
        }).WithSummary("Start a run now: the whole patient list, or one patient with inputs.mrn.");

        api.MapGet("/runs", async (HttpContext http, RunStore store, int? limit, CancellationToken ct) =>
            TypedResults.Ok(await store.ListRunsAsync(Tenant(http), Math.Clamp(limit ?? 50, 1, 500), ct)))
            .WithSummary("The tenant's runs, newest first.");

        api.MapGet("/runs/{id}", async Task<Results<Ok<RunView>, ProblemHttpResult>> (string id, HttpContext http, RunStore store, CancellationToken ct) =>
            await store.GetRunAsync(id, ct) is { } run && run.Tenant == Tenant(http)
                ? TypedResults.Ok(new RunView(run, await store.ProgressAsync(run, ct)))
                : NotFound("run", id))
            .WithSummary("A run's status and progress.");

        api.MapGet("/runs/{id}/items", async Task<Results<Ok<IReadOnlyList<ItemRecord>>, ProblemHttpResult>> (string id, HttpContext http, RunStore store, CancellationToken ct) =>
            await store.GetRunAsync(id, ct) is { } run && run.Tenant == Tenant(http)
                ? TypedResults.Ok(await store.ItemsAsync(id, ct))
                : NotFound("run", id))
            .WithSummary("Per-patient outcomes of a run (patients named by their FHIR Patient id).");

        api.MapGet("/runs/{id}/shards", async Task<Results<Ok<IReadOnlyList<ShardRecord>>, ProblemHttpResult>> (string id, HttpContext http, RunStore store, CancellationToken ct) =>
            await store.GetRunAsync(id, ct) is { } run && run.Tenant == Tenant(http)
                ? TypedResults.Ok(await store.ShardsAsync(id, ct))
                : NotFound("run", id))
            .WithSummary("A run's shards: which worker has each, attempts, outcome.");

        api.MapGet("/runs/{id}/shards/attempts", async Task<Results<Ok<IReadOnlyList<ShardAttempt>>, ProblemHttpResult>> (string id, HttpContext http, RunStore store, CancellationToken ct) =>
            await store.GetRunAsync(id, ct) is { } run && run.Tenant == Tenant(http)
                ? TypedResults.Ok(await store.ShardAttemptsAsync(id, ct))
                : NotFound("run", id))
            .WithSummary("Every attempt at a run's shards: which worker took it, when, and when and how it ended (none when its worker died).");

        api.MapPost("/runs/{id}/cancel", async Task<Results<Accepted, ProblemHttpResult>> (string id, HttpContext http, RunService runs, CancellationToken ct) =>
            await runs.CancelAsync(Tenant(http), id, ct)
                ? TypedResults.Accepted($"/api/runs/{id}")
                : TypedResults.Problem("no run with that id is running for this tenant", statusCode: 409))
            .WithSummary("Stop a run between steps; patients already read stay published.");

        api.MapGet("/review", async (HttpContext http, RunStore store, int? limit, CancellationToken ct) =>
            TypedResults.Ok(await store.ReviewQueueAsync(Tenant(http), Math.Clamp(limit ?? 100, 1, 1000), ct)))
            .WithSummary("Patients that failed every attempt, with their reasons.");

        api.MapGet("/schedules", async (HttpContext http, ScheduleService schedules, CancellationToken ct) =>
            TypedResults.Ok(await schedules.ListAsync(Tenant(http), ct)))
            .WithSummary("The tenant's schedules.");

        api.MapPut("/schedules/{id}", async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> (string id, ScheduleDefinition definition, HttpContext http,
            ScheduleService schedules, IOptionsMonitor<EhrCatalogOptions> ehrs, CancellationToken ct) =>
        {
            var tenant = Tenant(http);
            definition = definition with { Id = id };
            var errors = ScheduleService.Check(definition).ToList();
            if (definition.Ehr.Length > 0 && (!ehrs.CurrentValue.Ehrs.TryGetValue(definition.Ehr, out var ehr) || ehr.Tenant != tenant))
            {
                errors.Add($"no EHR named '{definition.Ehr}' for this tenant");
            }
            return errors.Count > 0
                ? TypedResults.Problem(string.Join("; ", errors), statusCode: 400)
                : TypedResults.Ok(await schedules.SaveAsync(tenant, definition, ct));
        }).WithSummary("Create or replace a schedule (cron or interval, time zone, misfire policy).");

        api.MapGet("/schedules/{id}", async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> (string id, HttpContext http, ScheduleService schedules, CancellationToken ct) =>
            await schedules.GetAsync(Tenant(http), id, ct) is { } view ? TypedResults.Ok(view) : NotFound("schedule", id));

        api.MapPost("/schedules/{id}/pause", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext http, ScheduleService schedules, CancellationToken ct) =>
            await schedules.SetPausedAsync(Tenant(http), id, true, ct) ? TypedResults.NoContent() : NotFound("schedule", id));

        api.MapPost("/schedules/{id}/resume", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext http, ScheduleService schedules, CancellationToken ct) =>
            await schedules.SetPausedAsync(Tenant(http), id, false, ct) ? TypedResults.NoContent() : NotFound("schedule", id));

        api.MapPost("/schedules/{id}/run-now", async Task<Results<Created<RunRecord>, ProblemHttpResult>> (string id, HttpContext http, ScheduleService schedules, RunService runs, CancellationToken ct) =>
        {
            var tenant = Tenant(http);
            if (await schedules.GetAsync(tenant, id, ct) is not { } view)
            {
                return NotFound("schedule", id);
            }
            var (run, refusal) = await runs.StartAsync(tenant, view.Definition.Ehr, view.Definition.Inputs, "schedule:" + id, view.Definition.Shards, ct);
            return refusal is not null ? TypedResults.Problem(refusal.Message, statusCode: refusal.Status) : TypedResults.Created($"/api/runs/{run!.Id}", run);
        }).WithSummary("Start the schedule's run now, outside its timetable.");

        api.MapDelete("/schedules/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext http, ScheduleService schedules, CancellationToken ct) =>
            await schedules.DeleteAsync(Tenant(http), id, ct) ? TypedResults.NoContent() : NotFound("schedule", id));

        api.MapGet("/playbooks", (HttpContext http, IOptionsMonitor<EhrCatalogOptions> ehrs) =>
        {
            var tenant = Tenant(http);
            return TypedResults.Ok(ehrs.CurrentValue.Ehrs.Where(e => e.Value.Tenant == tenant).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e =>
            {
                var loaded = PlaybookLoader.LoadFile(e.Value.Playbook);
                return new PlaybookView(e.Key, loaded.Playbook?.Id, loaded.Playbook?.Version, e.Value.Playbook, loaded.Ok,
                    loaded.Errors.Select(x => x.ToString()).ToList(), e.Value.MaxSessions);
            }).ToList());
        }).WithSummary("The tenant's EHRs with their playbooks and validation status.");

        return api;
    }

    private static string Tenant(HttpContext http) =>
        Tenancy.TenantOf(http) ?? throw new InvalidOperationException("an authenticated caller without a tenant reached the API");

    // The id is not repeated: a caller that pasted an MRN where an id belongs must not get it back in an error body.
    private static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem($"no {what} with that id for this tenant ({id.Length} characters)", statusCode: 404);
}
