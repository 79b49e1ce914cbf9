using Microsoft.Extensions.Options;
using RpaWorker.Playbooks;

namespace RpaWorker.Host.Configuration;

/// <summary>
/// One EHR instance a clinic (tenant) uses and the playbook that reads it: configuration section <c>Ehrs:&lt;name&gt;</c>.
/// Its credentials come from the secret store under the playbook's credentials name (environment variables
/// <c>RPA_SECRET_&lt;NAME&gt;_USERNAME</c>/<c>_PASSWORD</c> or the secrets file), never from configuration.
/// </summary>
public sealed class EhrOptions
{
    /// <summary>The clinic this EHR belongs to; only callers of that tenant see it, its runs and its data. Required.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>The playbook file (YAML) that reads this EHR, absolute or relative to the working folder. Required.</summary>
    public string Playbook { get; set; } = "";

    /// <summary>The EHR's base address; sets the playbook's <c>base_url</c> input. Required.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Further playbook inputs (not secrets).</summary>
    public Dictionary<string, string> Inputs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Legacy EHRs often allow one login per user: at most this many sessions at once, across every worker. Default 1.</summary>
    public int MaxSessions { get; set; } = 1;

    /// <summary>The EHR instance's URI for identifiers and ids. Default <c>urn:rpaworker:ehr:&lt;name&gt;</c>.</summary>
    public string? Source { get; set; }

    /// <summary>
    /// The identifier system of the MRNs this EHR's playbook publishes on Patient (chart.yaml: <c>urn:rpaworker:mock-ehr:mrn</c>).
    /// When set, a <c>/fhir</c> read of a patient whose data is older than the freshness policy runs the playbook for that
    /// one patient first; when unset, stored data is served as it is. Default unset.
    /// </summary>
    public string? PatientIdentifierSystem { get; set; }

    /// <summary>Extra sinks besides the tenant's local store: <c>fhir:&lt;base url&gt;</c>, <c>ndjson:&lt;folder&gt;</c>.</summary>
    public List<string> Sinks { get; set; } = [];
}

/// <summary>The configured EHRs by name: configuration section <c>Ehrs</c>.</summary>
public sealed class EhrCatalogOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ehrs";

    /// <summary>EHRs by name (letters, digits, '-', '_').</summary>
    public Dictionary<string, EhrOptions> Ehrs { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Says at start-up, all at once, what is wrong with the EHRs: missing fields, playbooks that do not load.</summary>
internal sealed class EhrCatalogValidator : IValidateOptions<EhrCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, EhrCatalogOptions options)
    {
        var errors = new List<string>();
        foreach (var (ehr, o) in options.Ehrs)
        {
            var at = $"Ehrs:{ehr}";
            if (ehr.Length == 0 || !ehr.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                errors.Add($"{at}: the name may hold only letters, digits, '-' and '_'");
            }
            if (string.IsNullOrWhiteSpace(o.Tenant))
            {
                errors.Add($"{at}:Tenant is required");
            }
            if (!Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _))
            {
                errors.Add($"{at}:BaseUrl must be an absolute URL");
            }
            if (o.MaxSessions is < 1 or > 64)
            {
                errors.Add($"{at}:MaxSessions must be from 1 to 64");
            }
            if (string.IsNullOrWhiteSpace(o.Playbook))
            {
                errors.Add($"{at}:Playbook is required");
            }
            else if (!File.Exists(o.Playbook))
            {
                errors.Add($"{at}:Playbook '{o.Playbook}' does not exist");
            }
            else
            {
                var loaded = PlaybookLoader.LoadFile(o.Playbook);
                errors.AddRange(loaded.Errors.Select(e => $"{at}:Playbook: {e}"));
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
