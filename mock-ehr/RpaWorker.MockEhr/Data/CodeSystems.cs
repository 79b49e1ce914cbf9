namespace RpaWorker.MockEhr.Data;

/// <summary>Code system URIs the mock EHR's data uses, in one place for the importer, generator, screens and export.</summary>
internal static class CodeSystems
{
    public const string Snomed = "http://snomed.info/sct";
    public const string Loinc = "http://loinc.org";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string Cvx = "http://hl7.org/fhir/sid/cvx";
    public const string Npi = "http://hl7.org/fhir/sid/us-npi";
    public const string Ucum = "http://unitsofmeasure.org";
}
