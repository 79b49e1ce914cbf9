using Microsoft.Extensions.Options;

namespace RpaWorker.Host.FhirApi;

/// <summary>Settings of the <c>/fhir</c> HTTP surface, bound from the configuration section <c>FhirApi</c>.</summary>
public sealed class FhirApiOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "FhirApi";

    /// <summary>
    /// Where Bulk Data export jobs keep their state (<c>&lt;id&gt;/job.json</c>) and NDJSON files
    /// (<c>&lt;id&gt;/&lt;Type&gt;.ndjson</c>); relative paths are resolved against the working directory. The files
    /// hold PHI: put the folder on an encrypted volume that only this worker reads. Default <c>data/fhir-exports</c>.
    /// </summary>
    public string ExportFolder { get; set; } = Path.Combine("data", "fhir-exports");

    /// <summary>
    /// How long a finished export (its manifest and files) is kept after it completed or failed; then it is deleted
    /// and its status URL answers 404. Keep it short: the files hold PHI. Default 1 hour.
    /// </summary>
    public TimeSpan ExportRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many exports may run at once; a kick-off beyond it gets 429 with Retry-After. Default 2.</summary>
    public int MaxConcurrentExports { get; set; } = 2;

    /// <summary>The Retry-After a client gets while an export runs. Default 5 seconds.</summary>
    public TimeSpan ExportRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a read or search waits for an on-demand refresh of the data before answering 202 Accepted with a
    /// status URL. Zero answers 202 at once whenever a refresh is needed. Default 20 seconds.
    /// </summary>
    public TimeSpan OnDemandWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The Retry-After of a 202 for an on-demand refresh, when the connector gives none. Default 2 seconds.</summary>
    public TimeSpan PendingRetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The interval of keep-alive comments on the event stream, so proxies keep it open. Default 15 seconds.</summary>
    public TimeSpan EventsHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The FHIR base URL clients see, when a proxy in front of the worker changes it (e.g.
    /// <c>https://clinic.example/fhir</c>); null (the default) derives it from each request.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>The software name in the CapabilityStatement. Default RpaWorker.</summary>
    public string SoftwareName { get; set; } = "RpaWorker";
}

/// <summary>Checks <see cref="FhirApiOptions"/> at start, reporting every problem at once.</summary>
internal sealed class FhirApiOptionsValidator : IValidateOptions<FhirApiOptions>
{
    public ValidateOptionsResult Validate(string? name, FhirApiOptions options)
    {
        var errors = new List<string>();
        var section = FhirApiOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.ExportFolder))
        {
            errors.Add($"{section}:ExportFolder must name a folder.");
        }

        foreach (var (value, key) in new[]
        {
            (options.ExportRetention, nameof(options.ExportRetention)),
            (options.ExportRetryAfter, nameof(options.ExportRetryAfter)),
            (options.PendingRetryAfter, nameof(options.PendingRetryAfter)),
            (options.EventsHeartbeat, nameof(options.EventsHeartbeat)),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{section}:{key} must be positive.");
            }
        }

        if (options.OnDemandWait < TimeSpan.Zero)
        {
            errors.Add($"{section}:OnDemandWait must not be negative.");
        }

        if (options.MaxConcurrentExports < 1)
        {
            errors.Add($"{section}:MaxConcurrentExports must be at least 1.");
        }

        if (options.PublicBaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{section}:PublicBaseUrl must be an absolute http or https URL.");
        }

        if (string.IsNullOrWhiteSpace(options.SoftwareName))
        {
            errors.Add($"{section}:SoftwareName must not be empty.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
