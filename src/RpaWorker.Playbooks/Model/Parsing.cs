namespace RpaWorker.Playbooks.Model;

/// <summary>What a parser turns text into.</summary>
public enum ParserKind
{
    /// <summary>Trimmed text with runs of white space folded (the default).</summary>
    Text,
    /// <summary>A date in one of <see cref="ParserDefinition.Formats"/>; partial dates (yyyy, MM/yyyy) allowed when listed.</summary>
    Date,
    /// <summary>A date and time in one of <see cref="ParserDefinition.Formats"/>.</summary>
    DateTime,
    /// <summary>A person's name in the layout <see cref="ParserDefinition.Formats"/>[0]: last_comma_first or first_last.</summary>
    Name,
    /// <summary>A decimal number.</summary>
    Number,
    /// <summary>A number followed by a unit ("72.5 kg"); the unit may also come from another column.</summary>
    Quantity,
    /// <summary>A local code or word looked up in the concept map named <see cref="ParserDefinition.Map"/>.</summary>
    Code,
    /// <summary>The first capture group of the regular expression <see cref="ParserDefinition.Pattern"/>.</summary>
    Regex,
    /// <summary>Split on <see cref="ParserDefinition.Separator"/> into parts (e.g. blood pressure "127/83").</summary>
    Split,
}

/// <summary>One parser; a field's parsers run in order, each on the previous one's output.</summary>
public sealed record ParserDefinition
{
    /// <summary>Required. What it parses.</summary>
    public required ParserKind Kind { get; init; }

    /// <summary>Formats, for Date, DateTime and Name (.NET custom format strings for dates, e.g. MM/dd/yyyy).</summary>
    public IReadOnlyList<string> Formats { get; init; } = [];

    /// <summary>The concept map for Code.</summary>
    public string? Map { get; init; }

    /// <summary>The regular expression for Regex.</summary>
    public string? Pattern { get; init; }

    /// <summary>The separator for Split.</summary>
    public string? Separator { get; init; }

    /// <summary>
    /// For Date and DateTime (<c>past: true</c>): two-digit years are read as years up to the current one, so
    /// <c>'38</c> is 1938. False: .NET's default window (up to 2049).
    /// </summary>
    public bool Past { get; init; }

    /// <summary>Where it is written.</summary>
    public required SourceLocation Location { get; init; }
}

/// <summary>
/// How extracted records become one FHIR resource type: for each record of <see cref="ForEach"/> (or once, for a
/// single record), assign FHIR paths from templates, e.g. <c>code.coding[0].code: "{{ row.code }}"</c>.
/// </summary>
public sealed record EmitDefinition
{
    /// <summary>Required. FHIR R4 resource type (Condition, Observation, ...).</summary>
    public required string Resource { get; init; }

    /// <summary>The list to iterate (e.g. <c>problems</c>); null emits one resource from the current records.</summary>
    public string? ForEach { get; init; }

    /// <summary>The item's name inside templates. Default <c>row</c>.</summary>
    public string As { get; init; } = "row";

    /// <summary>Optional template; the resource is emitted only where it renders non-empty and not "false".</summary>
    public string? When { get; init; }

    /// <summary>Optional template; the resource is not emitted where it renders non-empty and not "false".</summary>
    public string? Unless { get; init; }

    /// <summary>Required. Template of the EHR's own key for this record, used for the deterministic id.</summary>
    public required string Key { get; init; }

    /// <summary>Required. FHIR path to template value, in file order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Map { get; init; }

    /// <summary>Where it is written.</summary>
    public required SourceLocation Location { get; init; }
}
