namespace RpaWorker.Fhir;

/// <summary>How serious a validation issue is. Only <see cref="Error"/> makes a resource invalid.</summary>
public enum ValidationSeverity
{
    /// <summary>For information only.</summary>
    Information,

    /// <summary>Worth a look; the resource is still published (e.g. a value set that is not available offline).</summary>
    Warning,

    /// <summary>The resource does not conform and must be quarantined.</summary>
    Error,
}

/// <summary>One finding of the validator.</summary>
/// <param name="Severity">Error, warning or information.</param>
/// <param name="Location">FHIRPath of the element, e.g. <c>Condition.category[0]</c>. Never contains data.</param>
/// <param name="Code">The validator's issue code (e.g. 1028 for a cardinality violation), or null.</param>
/// <param name="Message">
/// The validator's explanation. It can quote instance values (a code, a string that fails a pattern), so treat it
/// as PHI: keep it with the quarantined resource, and use <see cref="Location"/> and <see cref="Code"/> in logs.
/// </param>
public sealed record ValidationIssue(ValidationSeverity Severity, string Location, int? Code, string Message);

/// <summary>The result of validating one resource against US Core.</summary>
/// <param name="Profile">The profile validated against (a US Core canonical, or the base resource definition).</param>
/// <param name="Issues">Every issue found, errors first.</param>
public sealed record ValidationReport(string Profile, IReadOnlyList<ValidationIssue> Issues)
{
    /// <summary>True when no issue is an error. Warnings and information do not make a resource invalid.</summary>
    public bool IsValid => Issues.All(i => i.Severity != ValidationSeverity.Error);

    /// <summary>The error issues only.</summary>
    public IEnumerable<ValidationIssue> Errors => Issues.Where(i => i.Severity == ValidationSeverity.Error);
}
