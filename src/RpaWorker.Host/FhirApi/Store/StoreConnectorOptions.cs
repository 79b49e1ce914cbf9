using Microsoft.Extensions.Options;
using RpaWorker.Connectors;

namespace RpaWorker.Host.FhirApi;

/// <summary>
/// Settings of the <see cref="StoreConnector"/>, bound from the configuration section <c>FhirApi:Store</c>.
/// </summary>
public sealed class StoreConnectorOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "FhirApi:Store";

    /// <summary>What <see cref="ResourceTypes"/> means when it is empty: what the reference chart playbook publishes.</summary>
    public static IReadOnlyList<string> DefaultResourceTypes { get; } =
        ["Patient", "AllergyIntolerance", "Condition", "Encounter", "Immunization", "MedicationRequest", "Observation", "Provenance"];

    /// <summary>
    /// The resource types served, in the order the CapabilityStatement lists them. Empty (the default) serves
    /// <see cref="DefaultResourceTypes"/>: Patient, AllergyIntolerance, Condition, Encounter, Immunization,
    /// MedicationRequest, Observation, Provenance. (An empty default, because configuration binding appends to a
    /// non-empty array instead of replacing it.)
    /// </summary>
    public string[] ResourceTypes { get; set; } = [];

    /// <summary>The types served: <see cref="ResourceTypes"/>, or <see cref="DefaultResourceTypes"/> when it is empty.</summary>
    public IReadOnlyList<string> ServedTypes => ResourceTypes is { Length: > 0 } types ? types : DefaultResourceTypes;

    /// <summary>
    /// How long after the source last confirmed it a patient's data of a type is served without asking the source
    /// again, for types not in <see cref="MaxAge"/>. Default 24 hours.
    /// </summary>
    public TimeSpan DefaultMaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Per-type overrides of <see cref="DefaultMaxAge"/>. Default: Observation and Encounter 4 hours (results and
    /// visits change during the day). Configuration adds to or replaces these entries; entries for types not served
    /// are ignored.
    /// </summary>
    public Dictionary<string, TimeSpan> MaxAge { get; set; } = new(StringComparer.Ordinal)
    {
        ["Observation"] = TimeSpan.FromHours(4),
        ["Encounter"] = TimeSpan.FromHours(4),
    };

    /// <summary>
    /// The identifier system of the EHR's patient identifiers (e.g. <c>urn:rpaworker:mock-ehr:mrn</c>), whose value is
    /// what <see cref="IPatientExtraction"/> takes. Null (the default) turns on-demand refresh off: stored data is
    /// served as it is, flagged stale when older than its policy.
    /// </summary>
    public string? PatientIdentifierSystem { get; set; }

    /// <summary>How long one on-demand extraction may run before it is cancelled. Default 5 minutes.</summary>
    public TimeSpan ExtractionTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The least time between the end of one on-demand extraction of a patient and the start of the next, whatever
    /// the result: it keeps a failing EHR or a patient missing from it from being hit by every request. Default 1 minute.
    /// </summary>
    public TimeSpan MinExtractionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The page size of a search without <c>_count</c>. Default 50.</summary>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>The largest page a search returns, whatever <c>_count</c> asks. Default 1000.</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>The freshness limit of <paramref name="resourceType"/>.</summary>
    public TimeSpan MaxAgeOf(string resourceType) => MaxAge.TryGetValue(resourceType, out var age) ? age : DefaultMaxAge;
}

/// <summary>Checks <see cref="StoreConnectorOptions"/> at start, reporting every problem at once.</summary>
internal sealed class StoreConnectorOptionsValidator : IValidateOptions<StoreConnectorOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreConnectorOptions options)
    {
        var errors = new List<string>();
        var section = StoreConnectorOptions.SectionName;
        var served = options.ServedTypes;
        errors.AddRange(served.Where(t => !FhirSyntax.IsResourceType(t))
            .Select(t => $"{section}:ResourceTypes: '{t}' is not a FHIR resource type name."));
        errors.AddRange(served.GroupBy(t => t, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"{section}:ResourceTypes lists '{g.Key}' more than once."));

        if (options.DefaultMaxAge < TimeSpan.Zero)
        {
            errors.Add($"{section}:DefaultMaxAge must not be negative.");
        }

        errors.AddRange(options.MaxAge.Where(a => a.Value < TimeSpan.Zero).Select(a => $"{section}:MaxAge:{a.Key} must not be negative."));
        if (options.PatientIdentifierSystem is { } system && !Uri.TryCreate(system, UriKind.Absolute, out _))
        {
            errors.Add($"{section}:PatientIdentifierSystem must be an absolute URI (e.g. urn:example:mrn).");
        }

        if (options.ExtractionTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{section}:ExtractionTimeout must be positive.");
        }

        if (options.MinExtractionInterval < TimeSpan.Zero)
        {
            errors.Add($"{section}:MinExtractionInterval must not be negative.");
        }

        if (options.DefaultPageSize < 1 || options.MaxPageSize < options.DefaultPageSize)
        {
            errors.Add($"{section}:DefaultPageSize must be at least 1 and MaxPageSize at least DefaultPageSize.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
