namespace RpaWorker.Publishing.Tests;

/// <summary>Small FHIR resources for tests; the JSON is what sinks see, they do not interpret it.</summary>
internal static class Resources
{
    public static PublishedResource Patient(string id, string family = "Doe", string? identifier = null) =>
        new("Patient", id, $$"""{"resourceType":"Patient","id":"{{id}}","name":[{"family":"{{family}}"}]}""", identifier);

    public static PublishedResource Condition(string id, string code = "38341003") =>
        new("Condition", id, $$$"""{"resourceType":"Condition","id":"{{{id}}}","code":{"coding":[{"system":"http://snomed.info/sct","code":"{{{code}}}"}]},"subject":{"reference":"Patient/p1"}}""");
}
