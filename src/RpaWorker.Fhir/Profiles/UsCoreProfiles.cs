using Hl7.Fhir.Model;

namespace RpaWorker.Fhir;

/// <summary>Chooses the US Core 6.1.0 profile a resource should conform to, and declares it in <c>meta.profile</c>.</summary>
public static class UsCoreProfiles
{
    /// <summary>The canonical base of every US Core profile.</summary>
    public const string Base = "http://hl7.org/fhir/us/core/StructureDefinition/";

    private const string ObservationCategorySystem = "http://terminology.hl7.org/CodeSystem/observation-category";
    private const string ConditionCategorySystem = "http://terminology.hl7.org/CodeSystem/condition-category";
    private const string Loinc = "http://loinc.org";

    private static readonly Dictionary<string, string> ByResourceType = new(StringComparer.Ordinal)
    {
        ["Patient"] = "us-core-patient",
        ["Encounter"] = "us-core-encounter",
        ["MedicationRequest"] = "us-core-medicationrequest",
        ["MedicationDispense"] = "us-core-medicationdispense",
        ["Medication"] = "us-core-medication",
        ["AllergyIntolerance"] = "us-core-allergyintolerance",
        ["Immunization"] = "us-core-immunization",
        ["Practitioner"] = "us-core-practitioner",
        ["PractitionerRole"] = "us-core-practitionerrole",
        ["Organization"] = "us-core-organization",
        ["Location"] = "us-core-location",
        ["Provenance"] = "us-core-provenance",
        ["Procedure"] = "us-core-procedure",
        ["Goal"] = "us-core-goal",
        ["CarePlan"] = "us-core-careplan",
        ["CareTeam"] = "us-core-careteam",
        ["Coverage"] = "us-core-coverage",
        ["Device"] = "us-core-implantable-device",
        ["DocumentReference"] = "us-core-documentreference",
        ["RelatedPerson"] = "us-core-relatedperson",
        ["ServiceRequest"] = "us-core-servicerequest",
        ["Specimen"] = "us-core-specimen",
    };

    // Vital signs by LOINC code; a vital sign not listed here gets the generic us-core-vital-signs.
    private static readonly Dictionary<string, string> VitalSignsByLoinc = new(StringComparer.Ordinal)
    {
        ["85354-9"] = "us-core-blood-pressure",
        ["29463-7"] = "us-core-body-weight",
        ["8302-2"] = "us-core-body-height",
        ["39156-5"] = "us-core-bmi",
        ["8867-4"] = "us-core-heart-rate",
        ["8310-5"] = "us-core-body-temperature",
        ["8331-1"] = "us-core-body-temperature",
        ["9279-1"] = "us-core-respiratory-rate",
        ["59408-5"] = "us-core-pulse-oximetry",
        ["2708-6"] = "us-core-pulse-oximetry",
        ["9843-4"] = "us-core-head-circumference",
    };

    private static readonly HashSet<string> ClinicalResultCategories = new(StringComparer.Ordinal)
    {
        "imaging", "procedure", "exam", "therapy", "activity",
    };

    /// <summary>
    /// The canonical URL of the US Core profile for <paramref name="resource"/>, or null when US Core has none.
    /// </summary>
    /// <remarks>
    /// Condition: encounter-diagnosis category → us-core-condition-encounter-diagnosis, otherwise
    /// us-core-condition-problems-health-concerns. Observation: LOINC 72166-2 → us-core-smokingstatus;
    /// category laboratory → us-core-observation-lab; vital-signs → the vital profile for its LOINC code
    /// (blood pressure, weight, height, BMI, heart rate, temperature, respiratory rate, pulse oximetry, head
    /// circumference) or us-core-vital-signs; imaging/procedure/exam/therapy/activity →
    /// us-core-observation-clinical-result; anything else (survey, sdoh, none) →
    /// us-core-observation-screening-assessment. DiagnosticReport: category LAB → us-core-diagnosticreport-lab,
    /// otherwise us-core-diagnosticreport-note.
    /// </remarks>
    public static string? For(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var name = resource switch
        {
            Observation observation => ForObservation(observation),
            Condition condition => HasCode(condition.Category, ConditionCategorySystem, "encounter-diagnosis")
                ? "us-core-condition-encounter-diagnosis"
                : "us-core-condition-problems-health-concerns",
            DiagnosticReport report => report.Category.Any(c => c.Coding.Any(cd => cd.Code == "LAB"))
                ? "us-core-diagnosticreport-lab"
                : "us-core-diagnosticreport-note",
            _ => ByResourceType.GetValueOrDefault(resource.TypeName ?? string.Empty),
        };
        return name is null ? null : Base + name;
    }

    /// <summary>
    /// Sets <c>meta.profile</c> to the profile chosen by <see cref="For"/>, replacing any US Core profile already
    /// there and keeping other profiles. Returns the canonical, or null (and leaves meta alone) when there is none.
    /// </summary>
    public static string? Apply(Resource resource)
    {
        var canonical = For(resource);
        if (canonical is null)
        {
            return null;
        }

        resource.Meta ??= new Meta();
        var others = resource.Meta.Profile.Where(p => p is not null && !p.StartsWith(Base, StringComparison.Ordinal)).ToList();
        resource.Meta.Profile = [canonical, .. others];
        return canonical;
    }

    private static string ForObservation(Observation observation)
    {
        var loincCodes = observation.Code?.Coding.Where(c => c.System == Loinc).Select(c => c.Code).ToList() ?? [];
        if (loincCodes.Contains("72166-2"))
        {
            return "us-core-smokingstatus";
        }

        var categories = observation.Category
            .SelectMany(c => c.Coding)
            .Where(c => c.System == ObservationCategorySystem)
            .Select(c => c.Code ?? string.Empty)
            .ToList();
        if (categories.Contains("laboratory"))
        {
            return "us-core-observation-lab";
        }

        if (categories.Contains("vital-signs"))
        {
            return loincCodes.Select(code => VitalSignsByLoinc.GetValueOrDefault(code ?? string.Empty)).FirstOrDefault(p => p is not null)
                ?? "us-core-vital-signs";
        }

        return categories.Any(ClinicalResultCategories.Contains)
            ? "us-core-observation-clinical-result"
            : "us-core-observation-screening-assessment";
    }

    private static bool HasCode(List<CodeableConcept> concepts, string system, string code) =>
        concepts.Any(c => c.Coding.Any(cd => cd.System == system && cd.Code == code));
}
