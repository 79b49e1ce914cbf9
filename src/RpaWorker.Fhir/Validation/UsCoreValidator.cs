using System.Collections.Concurrent;
using System.Diagnostics;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace RpaWorker.Fhir;

/// <summary>
/// Validates resources against US Core 6.1.0 (and the FHIR R4 core definitions under it) with Firely's validator,
/// entirely offline.
/// </summary>
/// <remarks>
/// <para>Loading: the US Core package (.tgz) is read into memory and combined with the R4 core specification
/// (<c>specification.zip</c> from Hl7.Fhir.Specification.Data.R4, copied next to the application). This happens
/// once per package path per process, on first use; every <see cref="UsCoreValidator"/> for the same path shares
/// it, and Firely's validator caches the compiled profiles, so keep validating with it rather than reloading.</para>
/// <para>What is checked: structure and cardinality (including US Core's required elements and slices such as
/// Condition.category), data types and primitive formats, fixed values and patterns, FHIRPath invariants of
/// the profiles and of R4, extensions defined in R4 core or US Core, and <b>required</b> bindings whose value
/// set can be expanded from code systems held locally (R4 core and US Core, e.g. clinicalStatus,
/// verificationStatus, Observation.status, gender, Condition category, the implicit core value sets such as
/// MIME types and languages).</para>
/// <para>What is not checked: extensible and preferred bindings (the validator never checks them), and value sets
/// that need an external terminology (VSAC value sets, SNOMED CT, LOINC, RxNorm, CVX, CDC race and ethnicity):
/// the local terminology service cannot expand them, which the validator reports as a warning, not an error.
/// Referenced resources are not fetched, so a reference is checked for its form only. Profiles from packages US
/// Core depends on but does not contain (hl7.fhir.uv.extensions, SDC) are missing; a resource that claims one of
/// them gets an error, which the resources built here never do.</para>
/// <para>Thread-safe: <see cref="Validate"/> may be called concurrently.</para>
/// </remarks>
public sealed class UsCoreValidator
{
    private static readonly ConcurrentDictionary<string, Lazy<LoadedValidator>> Loaded = new(StringComparer.Ordinal);

    private readonly Lazy<LoadedValidator> _loaded;

    /// <summary>Creates a validator for the US Core package at <paramref name="usCorePackagePath"/>.</summary>
    /// <param name="usCorePackagePath">Path of <c>hl7.fhir.us.core-6.1.0.tgz</c>.</param>
    /// <exception cref="RpaWorkerException">The package file does not exist.</exception>
    /// <remarks>The package is loaded lazily by the first <see cref="Validate"/> or <see cref="EnsureLoaded"/>.</remarks>
    public UsCoreValidator(string usCorePackagePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(usCorePackagePath);
        var fullPath = Path.GetFullPath(usCorePackagePath);
        if (!File.Exists(fullPath))
        {
            throw new RpaWorkerException($"The US Core package was not found at '{fullPath}'.");
        }

        _loaded = Loaded.GetOrAdd(fullPath, path => new Lazy<LoadedValidator>(() => LoadedValidator.Load(path), LazyThreadSafetyMode.ExecutionAndPublication));
    }

    /// <summary>How long reading the packages took, once they are loaded; null before.</summary>
    public TimeSpan? LoadTime => _loaded.IsValueCreated ? _loaded.Value.LoadTime : null;

    /// <summary>Loads the packages now instead of on the first validation (e.g. at host start).</summary>
    /// <returns>How long reading the packages took (zero when another instance already loaded them).</returns>
    public TimeSpan EnsureLoaded()
    {
        var wasLoaded = _loaded.IsValueCreated;
        var loaded = _loaded.Value;
        return wasLoaded ? TimeSpan.Zero : loaded.LoadTime;
    }

    /// <summary>
    /// Validates <paramref name="resource"/> against its US Core profile (<see cref="UsCoreProfiles.For"/>), or
    /// against the R4 base definition when US Core has no profile for it. Profiles in meta.profile are checked too.
    /// </summary>
    public ValidationReport Validate(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var profile = UsCoreProfiles.For(resource) ?? "http://hl7.org/fhir/StructureDefinition/" + resource.TypeName;
        var outcome = _loaded.Value.Validator.Validate(resource, profile);
        var issues = outcome.Issue
            .Select(ToIssue)
            .OrderByDescending(i => i.Severity)
            .ToList();
        return new ValidationReport(profile, issues);
    }

    private static ValidationIssue ToIssue(OperationOutcome.IssueComponent issue)
    {
        var severity = issue.Severity switch
        {
            OperationOutcome.IssueSeverity.Fatal or OperationOutcome.IssueSeverity.Error => ValidationSeverity.Error,
            OperationOutcome.IssueSeverity.Warning => ValidationSeverity.Warning,
            _ => ValidationSeverity.Information,
        };
        var location = issue.Expression.FirstOrDefault() ?? issue.Location.FirstOrDefault() ?? string.Empty;
        int? code = int.TryParse(issue.Details?.Coding.FirstOrDefault()?.Code, out var number) ? number : null;
        return new ValidationIssue(severity, location, code, issue.Details?.Text ?? issue.Diagnostics ?? string.Empty);
    }

    private sealed record LoadedValidator(Validator Validator, TimeSpan LoadTime)
    {
        public static LoadedValidator Load(string packagePath)
        {
            var stopwatch = Stopwatch.StartNew();
            var usCore = new InMemoryResourceResolver(ConformancePackage.Load(packagePath));
            var core = ZipSource.CreateValidationSource();
            var resolver = new CachedResolver(new MultiResolver(usCore, core));
            var terminology = LocalTerminologyService.CreateDefaultForCore(resolver);
            var validator = new Validator(resolver, terminology);

            // The core specification archive is unpacked and the first schemas compiled on first use; doing it
            // here makes that cost part of loading instead of surprising the first real validation.
            validator.Validate(new Patient(), UsCoreProfiles.Base + "us-core-patient");
            return new LoadedValidator(validator, stopwatch.Elapsed);
        }
    }
}
