using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RpaWorker.Connectors;

namespace RpaWorker.Host.FhirApi;

/// <summary>
/// FHIR Bulk Data Access (http://hl7.org/fhir/uv/bulkdata/export.html): kick-off at <c>$export</c> and
/// <c>Patient/$export</c>, status at <c>$export-status/{id}</c> (DELETE cancels), files at
/// <c>$export-file/{id}/{file}</c>.
/// </summary>
internal static class ExportEndpoints
{
    private static readonly HashSet<string> OutputFormats = new(["application/fhir+ndjson", "application/ndjson", "ndjson"], StringComparer.Ordinal);
    private static readonly HashSet<string> KickOffParameters = new(["_type", "_since", "_outputFormat"], StringComparer.Ordinal);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("$export", context => KickOffAsync(context, ExportLevel.System, trailingSegments: 1));
        group.MapGet("Patient/$export", context => KickOffAsync(context, ExportLevel.Patient, trailingSegments: 2));
        group.MapGet("$export-status/{jobId}", StatusAsync);
        group.MapDelete("$export-status/{jobId}", DeleteAsync);
        group.MapGet("$export-file/{jobId}/{file}", FileAsync);
    }

    private static async Task KickOffAsync(HttpContext context, ExportLevel level, int trailingSegments)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<FhirApiOptions>>().Value;
        var request = context.Request;
        if (!request.Headers["Prefer"].ToString().Contains("respond-async", StringComparison.OrdinalIgnoreCase))
        {
            await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status400BadRequest, "error", "invalid",
                "A Bulk Data kick-off needs the header Prefer: respond-async.");
            return;
        }

        if (request.Query.Keys.FirstOrDefault(k => !KickOffParameters.Contains(k)) is { } unsupported)
        {
            await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status400BadRequest, "error", "not-supported",
                $"The export parameter '{unsupported}' is not supported (supported: _type, _since, _outputFormat).");
            return;
        }

        if (request.Query["_outputFormat"].ToString() is { Length: > 0 } format && !OutputFormats.Contains(format))
        {
            await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status400BadRequest, "error", "not-supported",
                "_outputFormat must be application/fhir+ndjson (or application/ndjson, ndjson).");
            return;
        }

        DateTimeOffset? since = null;
        if (request.Query["_since"].ToString() is { Length: > 0 } sinceText)
        {
            if (!sinceText.Contains('T', StringComparison.Ordinal) ||
                !DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            {
                await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status400BadRequest, "error", "invalid",
                    "_since must be a FHIR instant, e.g. 2024-05-01T10:00:00Z.");
                return;
            }

            since = parsed;
        }

        var types = request.Query["_type"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        var connector = context.RequestServices.GetRequiredService<IClinicalConnector>();
        var capabilities = await connector.GetCapabilitiesAsync(context.RequestAborted);
        if (!capabilities.Ok)
        {
            await FhirHttp.WriteFailureAsync(context, capabilities.Failure ?? new ConnectorFailure(ConnectorFailureKind.Unavailable, "The connector is not ready."));
            return;
        }

        if (!(level == ExportLevel.System ? capabilities.Value!.SystemExport : capabilities.Value!.PatientExport))
        {
            await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status501NotImplemented, "error", "not-supported", "This server does not export at this level.");
            return;
        }

        if (types.FirstOrDefault(t => capabilities.Value.Find(t) is null) is { } unknown)
        {
            await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status400BadRequest, "error", "not-supported",
                FhirSyntax.IsResourceType(unknown) ? $"_type: this server does not serve {unknown}." : "_type: not a FHIR resource type name.");
            return;
        }

        var jobs = context.RequestServices.GetRequiredService<ExportJobs>();
        var baseUrl = FhirHttp.BaseUrl(context, options, trailingSegments);
        var kickOffUrl = new Uri(baseUrl, (level == ExportLevel.Patient ? "Patient/$export" : "$export") + request.QueryString).AbsoluteUri;
        var job = jobs.Start(new ExportRequest(level) { Types = types, Since = since }, kickOffUrl, Owner(context.User), context.User.Identity?.IsAuthenticated == true,
            context.RequestServices.GetRequiredService<IClinicalConnector>());
        if (job is null)
        {
            context.Response.Headers.RetryAfter = FhirHttp.Seconds(options.ExportRetryAfter * 4);
            await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status429TooManyRequests, "error", "throttled",
                $"{options.MaxConcurrentExports} exports are already running; try again later.");
            return;
        }

        context.Response.Headers.ContentLocation = new Uri(baseUrl, "$export-status/" + job.Id).AbsoluteUri;
        await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status202Accepted, "information", "informational",
            "The export has started; poll the Content-Location for its status.");
    }

    private static async Task StatusAsync(HttpContext context, string jobId)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<FhirApiOptions>>().Value;
        var jobs = context.RequestServices.GetRequiredService<ExportJobs>();
        if (jobs.Find(jobId, Owner(context.User)) is not { } found)
        {
            await UnknownJobAsync(context);
            return;
        }

        var (state, exported) = found;
        switch (state.Status)
        {
            case ExportJobStatus.InProgress:
                context.Response.Headers.RetryAfter = FhirHttp.Seconds(options.ExportRetryAfter);
                context.Response.Headers["X-Progress"] = $"{exported} resources exported";
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                return;
            case ExportJobStatus.Failed:
                await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status500InternalServerError, "error",
                    FhirHttp.Describe(state.ErrorKind ?? ConnectorFailureKind.Unavailable).Code, state.Error ?? "The export failed.");
                return;
        }

        var baseUrl = FhirHttp.BaseUrl(context, options, trailingSegments: 2);
        if (jobs.ExpiresAt(state) is { } expires)
        {
            context.Response.Headers.Expires = expires.ToString("R", CultureInfo.InvariantCulture);
        }

        var manifest = new
        {
            transactionTime = state.TransactionTime.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            request = state.Request,
            requiresAccessToken = state.RequiresAccessToken,
            output = state.Output.Select(o => new { type = o.Type, url = new Uri(baseUrl, $"$export-file/{state.Id}/{o.File}").AbsoluteUri, count = o.Count }),
            error = Array.Empty<object>(),
        };
        await FhirHttp.WriteJsonAsync(context, StatusCodes.Status200OK, JsonSerializer.Serialize(manifest), "application/json; charset=utf-8");
    }

    private static async Task DeleteAsync(HttpContext context, string jobId)
    {
        var jobs = context.RequestServices.GetRequiredService<ExportJobs>();
        if (!await jobs.DeleteAsync(jobId, Owner(context.User)))
        {
            await UnknownJobAsync(context);
            return;
        }

        await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status202Accepted, "information", "informational", "The export was cancelled and its files deleted.");
    }

    private static async Task FileAsync(HttpContext context, string jobId, string file)
    {
        var jobs = context.RequestServices.GetRequiredService<ExportJobs>();
        if (jobs.OutputPath(jobId, Owner(context.User), file) is not { } path || !File.Exists(path))
        {
            await UnknownJobAsync(context);
            return;
        }

        context.Response.ContentType = "application/fhir+ndjson";
        await context.Response.SendFileAsync(path, context.RequestAborted);
    }

    private static Task UnknownJobAsync(HttpContext context) =>
        FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status404NotFound, "error", "not-found",
            "There is no such export: it never existed, was cancelled, or passed its retention.");

    /// <summary>Who kicked off an export, when the request was authenticated: only they may see it.</summary>
    // A tenant's exports belong to the tenant (any of its keys may poll them); other callers own theirs by subject.
    private static string? Owner(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? Security.Tenancy.TenantOf(user) is { } tenant ? "tenant:" + tenant
            : user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.FindFirst("sub")?.Value ?? user.Identity.Name
            : null;
}
