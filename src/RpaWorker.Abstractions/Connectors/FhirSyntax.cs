using System.Text.RegularExpressions;

namespace RpaWorker.Connectors;

/// <summary>
/// The FHIR R4 syntax of resource type names and ids, which both become URL segments and file names: anything else
/// is refused before it reaches a store, a URL or a path.
/// </summary>
public static partial class FhirSyntax
{
    /// <summary>True when <paramref name="resourceType"/> has the shape of a FHIR resource type name (e.g. Observation).</summary>
    public static bool IsResourceType(string? resourceType) => resourceType is not null && TypePattern().IsMatch(resourceType);

    /// <summary>True when <paramref name="id"/> is a valid FHIR id: 1 to 64 of A-Z, a-z, 0-9, '-' and '.'.</summary>
    public static bool IsId(string? id) => id is not null && IdPattern().IsMatch(id);

    [GeneratedRegex("^[A-Z][A-Za-z]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
