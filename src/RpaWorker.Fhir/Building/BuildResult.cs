using Hl7.Fhir.Model;

namespace RpaWorker.Fhir;

/// <summary>
/// The outcome of building one resource from path assignments: the resource when every assignment was usable,
/// otherwise the errors. Errors name the path and what was expected, never the assigned value (values are PHI).
/// </summary>
/// <param name="Resource">The parsed resource, or null when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">PHI-free messages such as "birthDate: not a valid date (expected YYYY, YYYY-MM or YYYY-MM-DD)".</param>
public sealed record BuildResult(Resource? Resource, IReadOnlyList<string> Errors)
{
    /// <summary>True when the resource was built and there are no errors.</summary>
    public bool Succeeded => Resource is not null && Errors.Count == 0;

    internal static BuildResult Failed(IReadOnlyList<string> errors) => new(null, errors);
}
