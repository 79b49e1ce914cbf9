namespace RpaWorker.Playbooks.Model;

/// <summary>
/// A loaded playbook: one YAML file describing one flow through an EHR's screens, what to read from them,
/// and how to map what was read to FHIR. Immutable; the engine compiles it into runnable steps.
/// </summary>
public sealed record PlaybookDefinition
{
    /// <summary>Required. The playbook's id, e.g. <c>mock-ehr/patient-chart</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Required. Semantic version of the playbook (1.2.0), recorded in Provenance.</summary>
    public required string Version { get; init; }

    /// <summary>Optional. The EHR product and versions the playbook was written for.</summary>
    public EhrDefinition? Ehr { get; init; }

    /// <summary>Required. Which driver runs it: web, atspi, pixel or uia.</summary>
    public required DriverKind Driver { get; init; }

    /// <summary>Optional. Name of the credentials in the secret store; never a literal secret.</summary>
    public string? Credentials { get; init; }

    /// <summary>Declared inputs, by name, in file order.</summary>
    public IReadOnlyList<InputDefinition> Inputs { get; init; } = [];

    /// <summary>Safety guards. Read-only is on unless the playbook turns it off.</summary>
    public GuardsDefinition Guards { get; init; } = new();

    /// <summary>Handlers for screens that can appear at any time (popups, session expiry, error pages).</summary>
    public IReadOnlyList<HandlerDefinition> Handlers { get; init; } = [];

    /// <summary>Named sub-flows (<c>login</c>, <c>open_chart</c>) that steps <c>call</c>.</summary>
    public IReadOnlyDictionary<string, FlowDefinition> Flows { get; init; } = new Dictionary<string, FlowDefinition>();

    /// <summary>Concept maps from the EHR's local codes or words to standard codes, by name.</summary>
    public IReadOnlyDictionary<string, ConceptMapDefinition> ConceptMaps { get; init; } = new Dictionary<string, ConceptMapDefinition>();

    /// <summary>Required. The main flow's steps.</summary>
    public required IReadOnlyList<StepDefinition> Steps { get; init; }

    /// <summary>How extracted records become FHIR resources.</summary>
    public IReadOnlyList<EmitDefinition> Emit { get; init; } = [];

    /// <summary>Where the playbook starts in its file.</summary>
    public required SourceLocation Location { get; init; }
}

/// <summary>Which <c>IUiDriver</c> runs a playbook.</summary>
public enum DriverKind
{
    /// <summary>Web pages through Playwright.</summary>
    Web,
    /// <summary>Linux desktop windows through the AT-SPI accessibility tree.</summary>
    Atspi,
    /// <summary>Screens seen only as pixels: OCR and synthetic input.</summary>
    Pixel,
    /// <summary>Windows desktop windows through UI Automation.</summary>
    Uia,
}

/// <summary>The EHR a playbook was written for.</summary>
public sealed record EhrDefinition(string? Vendor, string? Product, IReadOnlyList<string> Versions);

/// <summary>An input the caller supplies (<c>--input mrn=1234567</c>).</summary>
public sealed record InputDefinition
{
    /// <summary>Required. Name used in templates as <c>{{ inputs.name }}</c>.</summary>
    public required string Name { get; init; }

    /// <summary>string (default), integer, date or boolean.</summary>
    public InputType Type { get; init; } = InputType.String;

    /// <summary>Optional regular expression the value must match in full.</summary>
    public string? Pattern { get; init; }

    /// <summary>Whether the caller must give it. Default true unless a default is set.</summary>
    public bool Required { get; init; } = true;

    /// <summary>Optional default value.</summary>
    public string? Default { get; init; }

    /// <summary>Where it is declared.</summary>
    public required SourceLocation Location { get; init; }
}

/// <summary>Type of an input.</summary>
public enum InputType
{
    /// <summary>Text.</summary>
    String,
    /// <summary>A whole number.</summary>
    Integer,
    /// <summary>An ISO date (yyyy-MM-dd).</summary>
    Date,
    /// <summary>true or false.</summary>
    Boolean,
}

/// <summary>Guards that stop a run from doing harm or reading the wrong chart.</summary>
public sealed record GuardsDefinition
{
    /// <summary>Default words that mark a control as one that changes the record.</summary>
    public static readonly IReadOnlyList<string> DefaultProtectedWords = ["save", "sign", "submit", "delete", "order", "approve", "send", "finalize"];

    /// <summary>When true (the default) the engine refuses to activate controls named like <see cref="ProtectedWords"/>.</summary>
    public bool ReadOnly { get; init; } = true;

    /// <summary>Words that mark a control as protected (whole words, case-insensitive).</summary>
    public IReadOnlyList<string> ProtectedWords { get; init; } = DefaultProtectedWords;

    /// <summary>Default phrases that hold a protected word but change nothing in the record ("Sign In").</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedPhrases = ["sign in", "sign on", "sign out", "sign off", "signed in", "send to printer"];

    /// <summary>Phrases ignored when looking for protected words (whole phrases, case-insensitive).</summary>
    public IReadOnlyList<string> AllowedPhrases { get; init; } = DefaultAllowedPhrases;

    /// <summary>Optional wrong-patient guard: the banner must contain the patient being read.</summary>
    public BannerGuardDefinition? PatientBanner { get; init; }

    /// <summary>The protected word that <paramref name="text"/> holds as a whole word (case-insensitive), or null.</summary>
    public string? FindProtectedWord(string text)
    {
        foreach (var phrase in AllowedPhrases)
        {
            text = WholeWord(phrase).Replace(text, " ");
        }
        return ProtectedWords.FirstOrDefault(w => WholeWord(w).IsMatch(text));
    }

    private static System.Text.RegularExpressions.Regex WholeWord(string words) =>
        new($@"(?<![\p{{L}}\p{{N}}]){System.Text.RegularExpressions.Regex.Escape(words).Replace("\\ ", "\\s+", StringComparison.Ordinal)}(?![\p{{L}}\p{{N}}])",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}

/// <summary>The wrong-patient guard: before every extraction the banner target must contain <see cref="MustContain"/>.</summary>
public sealed record BannerGuardDefinition(TargetDefinition Target, string MustContain, SourceLocation Location);

/// <summary>A handler: when its condition appears on screen, run its steps, then carry on where the run was.</summary>
public sealed record HandlerDefinition
{
    /// <summary>Required. The handler's name (popup, session_expired, ...).</summary>
    public required string Name { get; init; }

    /// <summary>Required. What on the screen triggers it.</summary>
    public required ConditionDefinition When { get; init; }

    /// <summary>Required. Steps to run.</summary>
    public required IReadOnlyList<StepDefinition> Do { get; init; }

    /// <summary>How often it may fire in one work item before the item fails. Default 5.</summary>
    public int MaxPerItem { get; init; } = 5;

    /// <summary>After it runs, redo the step that was interrupted (true, the default) or go on to the next.</summary>
    public bool RetryStep { get; init; } = true;

    /// <summary>Where it is declared.</summary>
    public required SourceLocation Location { get; init; }
}

/// <summary>A named sub-flow.</summary>
public sealed record FlowDefinition(string Name, IReadOnlyList<string> Parameters, IReadOnlyList<StepDefinition> Steps, SourceLocation Location);

/// <summary>A concept map: local code or word (case-insensitive) to a standard coding.</summary>
public sealed record ConceptMapDefinition(string Name, string System, IReadOnlyDictionary<string, MappedCode> Entries, SourceLocation Location);

/// <summary>A standard code a local value maps to.</summary>
public sealed record MappedCode(string Code, string? Display);
