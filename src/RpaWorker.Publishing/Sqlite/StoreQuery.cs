namespace RpaWorker.Publishing;

/// <summary>
/// The search parameters <see cref="SqliteSink"/> indexes when a resource is published, read from its JSON. Values are
/// stored as described on each; references are stored relative (<c>Type/id</c>), whatever base URL they had.
/// </summary>
public static class StoreParameters
{
    /// <summary>
    /// The patient a resource belongs to, as <c>Patient/id</c>: a Patient's own reference, else the reference in
    /// <c>patient</c>, <c>subject</c> or <c>beneficiary</c> (the first present) when it points to a Patient.
    /// </summary>
    public const string Patient = "patient";

    /// <summary>Each <c>identifier</c> with a value: its system (empty when it has none) and its value, as given.</summary>
    public const string Identifier = "identifier";

    /// <summary>Every part of every HumanName (family, given, prefix, suffix, text), or a <c>name</c> string; lower case.</summary>
    public const string Name = "name";

    /// <summary>Every HumanName's family name; lower case.</summary>
    public const string Family = "family";

    /// <summary>Every HumanName's given names; lower case.</summary>
    public const string Given = "given";

    /// <summary><c>birthDate</c> as written (<c>yyyy</c>, <c>yyyy-MM</c> or <c>yyyy-MM-dd</c>).</summary>
    public const string BirthDate = "birthdate";

    /// <summary>Each <c>target</c> reference (Provenance), as <c>Type/id</c>.</summary>
    public const string Target = "target";

    /// <summary>The parameters whose values are stored in lower case and matched without regard to case.</summary>
    public static IReadOnlySet<string> CaseInsensitive { get; } = new HashSet<string>([Name, Family, Given], StringComparer.Ordinal);

    /// <summary>Every indexed parameter.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>([Patient, Identifier, Name, Family, Given, BirthDate, Target], StringComparer.Ordinal);

    /// <summary>
    /// <c>Type/id</c> from a relative or absolute reference (a version suffix <c>/_history/v</c> is dropped); null when
    /// <paramref name="reference"/> is not a literal reference (a contained <c>#id</c>, a urn, empty).
    /// </summary>
    public static string? RelativeReference(string? reference)
    {
        if (string.IsNullOrEmpty(reference) || reference.StartsWith('#') || reference.StartsWith("urn:", StringComparison.Ordinal))
        {
            return null;
        }

        var segments = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var history = Array.IndexOf(segments, "_history");
        var end = history >= 0 ? history : segments.Length;
        return end >= 2 && segments[end - 2].Length > 0 && char.IsAsciiLetterUpper(segments[end - 2][0])
            ? segments[end - 2] + "/" + segments[end - 1]
            : null;
    }
}

/// <summary>How a <see cref="StoreMatch"/> compares an indexed value.</summary>
public enum StoreComparison
{
    /// <summary>The value equals <see cref="StoreMatch.Value"/> (and the system, when <see cref="StoreMatch.System"/> is set).</summary>
    Equal,

    /// <summary>The value starts with <see cref="StoreMatch.Value"/>.</summary>
    StartsWith,

    /// <summary>The value sorts (ordinal) at or after <see cref="StoreMatch.Value"/> and before <see cref="StoreMatch.Before"/>; either end may be open (null).</summary>
    Range,
}

/// <summary>One way an indexed value can match.</summary>
public sealed record StoreMatch
{
    private StoreMatch(StoreComparison comparison, string? value, string? before, string? system)
    {
        Comparison = comparison;
        Value = value;
        Before = before;
        System = system;
    }

    /// <summary>How to compare.</summary>
    public StoreComparison Comparison { get; }

    /// <summary>The value (Equal, StartsWith) or the inclusive lower end (Range; null when open).</summary>
    public string? Value { get; }

    /// <summary>The exclusive upper end of a Range; null when open.</summary>
    public string? Before { get; }

    /// <summary>For identifiers: null to match any system, empty to match only values without a system, else the system.</summary>
    public string? System { get; }

    /// <summary>Values equal to <paramref name="value"/>; for identifiers, with <paramref name="system"/> as on <see cref="System"/>.</summary>
    public static StoreMatch Exact(string value, string? system = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(StoreComparison.Equal, value, null, system);
    }

    /// <summary>Values that start with <paramref name="prefix"/>.</summary>
    public static StoreMatch Prefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return new(StoreComparison.StartsWith, prefix, null, null);
    }

    /// <summary>Values from <paramref name="from"/> (inclusive) to <paramref name="before"/> (exclusive), ordinal; null ends are open.</summary>
    public static StoreMatch Between(string? from, string? before) => new(StoreComparison.Range, from, before, null);
}

/// <summary>A condition on one indexed parameter (see <see cref="StoreParameters"/>): true when any of its matches is.</summary>
/// <param name="Parameter">The indexed parameter.</param>
/// <param name="AnyOf">The matches, at least one.</param>
public sealed record StoreCondition(string Parameter, IReadOnlyList<StoreMatch> AnyOf);

/// <summary>
/// A page of one resource type from the local store: every <see cref="Conditions"/> holds, ordered by id (ordinal),
/// keyset-paged with <see cref="AfterId"/>.
/// </summary>
/// <param name="ResourceType">The resource type.</param>
public sealed record StoreQuery(string ResourceType)
{
    /// <summary>Conditions that must all hold.</summary>
    public IReadOnlyList<StoreCondition> Conditions { get; init; } = [];

    /// <summary>Only these ids (any of them); null for any id.</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary>Only resources last updated at or after this instant; null for no lower bound.</summary>
    public DateTimeOffset? UpdatedFrom { get; init; }

    /// <summary>Only resources last updated strictly before this instant; null for no upper bound.</summary>
    public DateTimeOffset? UpdatedBefore { get; init; }

    /// <summary>Only ids that sort after this one (the last id of the previous page); null from the start.</summary>
    public string? AfterId { get; init; }

    /// <summary>The most resources to return; at least 1. Default 100.</summary>
    public int Limit { get; init; } = 100;
}
