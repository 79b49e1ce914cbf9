using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RpaWorker.Playbooks;
using RpaWorker.Ui;

namespace RpaWorker.Cli.Authoring;

/// <summary>
/// Writes a playbook of deterministic steps from an exploration's successful steps: the same language as the shipped
/// playbooks, with credentials and inputs as templates, popups as a handler, links named after a patient as structural
/// targets, tables read with their column mappings, and an emit when a table was mapped to a FHIR resource.
/// </summary>
internal static class PlaybookDrafter
{
    private static readonly JsonSerializerOptions Yaml = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Buttons that close a popup box: clicking one is a handler, not a step, since popups come and go per patient.</summary>
    private static readonly string[] PopupButtons = ["OK", "Close"];

    private const string DateFormats = "[\"MM/dd/yyyy\", \"MM/yyyy\", \"yyyy\"]";

    /// <summary>Concept maps from common EHR wording to the codes a resource's coded fields need.</summary>
    private static readonly Dictionary<string, string> ConceptMaps = new(StringComparer.Ordinal)
    {
        ["allergy_status"] = "  allergy_status:\n    system: http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical\n    codes: { Active: active, Inactive: inactive, Resolved: resolved }\n",
        ["criticality"] = "  criticality:\n    system: http://hl7.org/fhir/allergy-intolerance-criticality\n    codes: { Low: low, High: high, Unable to assess: unable-to-assess }\n",
        ["code_system"] = "  code_system:\n    system: urn:rpaworker:code-systems\n    codes:\n      SNOMED: http://snomed.info/sct\n      RxNorm: http://www.nlm.nih.gov/research/umls/rxnorm\n      LOINC: http://loinc.org\n      CVX: http://hl7.org/fhir/sid/cvx\n",
    };

    /// <summary>How each known field of a resource is parsed: a concept map or a date; others are text.</summary>
    private static readonly Dictionary<(string Resource, string Field), string> Parsers = new()
    {
        [("AllergyIntolerance", "system")] = "code_system",
        [("AllergyIntolerance", "criticality")] = "criticality",
        [("AllergyIntolerance", "status")] = "allergy_status",
        [("AllergyIntolerance", "recorded")] = "date",
    };

    public static string Draft(AuthorSettings settings, IReadOnlyList<TrajectoryStep> trajectory)
    {
        var steps = new StringBuilder();
        var popups = new List<ObservedElement>();
        var usedInputs = new SortedSet<string>(StringComparer.Ordinal);
        var maps = new SortedSet<string>(StringComparer.Ordinal);
        var emits = new StringBuilder();
        string? mrn = null;
        string? bannerLabel = null;

        steps.Append("  - goto: \"{{ inputs.base_url }}\"\n");
        for (var i = 0; i < trajectory.Count; i++)
        {
            var (action, element) = (trajectory[i].Action, trajectory[i].Element!);
            switch (action.Kind)
            {
                case AuthorAction.Fill:
                    var reference = AuthoringLoop.Reference().Match(action.Value.Trim());
                    string value;
                    if (reference.Success)
                    {
                        value = $"{{{{ {reference.Groups[1].Value}.{reference.Groups[2].Value} }}}}";
                        if (reference.Groups[1].Value == "inputs")
                        {
                            usedInputs.Add(reference.Groups[2].Value);
                        }
                    }
                    else
                    {
                        value = action.Value;
                    }
                    var secret = action.Value.Contains("secrets.password", StringComparison.Ordinal) ? ", secret: true" : "";
                    steps.Append($"  - fill: {{ target: {Target(element)}, value: {Q(value)}{secret} }}\n");
                    break;
                case AuthorAction.Click when element.Role == "button" && PopupButtons.Contains(element.Name, StringComparer.OrdinalIgnoreCase):
                    if (!popups.Any(p => p.Name == element.Name))
                    {
                        popups.Add(element);
                    }
                    break;
                case AuthorAction.Click:
                    steps.Append($"  - click: {Target(element)}\n");
                    break;
                case AuthorAction.SelectTab:
                    // A section is a link on some versions of a screen and a tab on others: either will do.
                    steps.Append($"  - click: [ {Target(element)}, {{ role: tab, name: {Q(element.Name)} }} ]\n");
                    break;
                case AuthorAction.ReadField:
                    // Fields read one after another into the same record are one extract step.
                    steps.Append($"  - extract:\n      into: {action.Into}\n      fields:\n");
                    for (; i < trajectory.Count && trajectory[i].Action is { Kind: AuthorAction.ReadField } read && read.Into == action.Into; i++)
                    {
                        steps.Append($"        {read.Field}: {{ target: {Target(trajectory[i].Element!)} }}\n");
                        if (read.Field.Equals("mrn", StringComparison.OrdinalIgnoreCase))
                        {
                            mrn = $"{read.Into}.{read.Field}";
                            bannerLabel = trajectory[i].Element!.Locator.Kind == LocatorKind.RightOf ? trajectory[i].Element!.Locator.Value : null;
                        }
                    }
                    i--;
                    break;
                case AuthorAction.ReadTable:
                    steps.Append(ExtractTable(action, element, maps));
                    if (action.Resource != "none")
                    {
                        emits.Append(Emit(action, mrn ?? (usedInputs.Contains("mrn") ? "inputs.mrn" : null)));
                    }
                    break;
            }
        }

        var yaml = new StringBuilder();
        yaml.Append("#\n# DRAFT written by `rpa author`: review every step, target and mapping before using it.\n");
        yaml.Append($"# Goal: {OneLine(settings.Goal)}\n");
        yaml.Append("# It repeats the steps an exploration took on one sample patient. Check what a sample cannot show: date formats,\n");
        yaml.Append("# the words in the concept maps, pages beyond the first, and screens other patients see (no data, popups).\n");
        yaml.Append($"playbook: draft/{Slug(trajectory.LastOrDefault(t => t.Action.Kind == AuthorAction.ReadTable)?.Action.Into ?? "extract")}\n");
        yaml.Append("version: 0.1.0\ndriver: web\n");
        yaml.Append($"credentials: {Q(settings.Credentials)}\n\n");
        yaml.Append("inputs:\n");
        yaml.Append($"  base_url: {{ type: string, default: {Q(settings.Ehr.TrimEnd('/'))} }}\n");
        foreach (var input in usedInputs)
        {
            yaml.Append($"  {input}: {{ type: string }}\n");
        }
        yaml.Append("\nguards:\n  read_only: true\n");
        if (bannerLabel is not null && usedInputs.Contains("mrn"))
        {
            // The exploration found the patient by MRN and read the MRN back: every read must be of that patient.
            yaml.Append($"  patient_banner: {{ target: {{ right_of: {Q(bannerLabel)} }}, must_contain: \"{{{{ inputs.mrn }}}}\" }}\n");
        }
        if (popups.Count > 0)
        {
            yaml.Append("\non:\n");
            foreach (var (popup, n) in popups.Select((p, n) => (p, n)))
            {
                // Two boxes can stack: the later one is on top, so it is closed first.
                var name = Q(popup.Name);
                yaml.Append($"  popup{(n == 0 ? "" : (n + 1).ToString(CultureInfo.InvariantCulture))}:\n");
                yaml.Append($"    when: {{ visible: {{ role: button, name: {name}, exact: true, index: 0 }} }}\n");
                yaml.Append($"    do:\n      - click: [ {{ role: button, name: {name}, exact: true, index: 1 }}, {{ role: button, name: {name}, exact: true, index: 0 }} ]\n");
            }
        }
        if (maps.Count > 0)
        {
            yaml.Append("\nconcept_maps:\n");
            foreach (var map in maps)
            {
                yaml.Append(ConceptMaps[map]);
            }
        }
        yaml.Append("\nsteps:\n").Append(steps);
        if (emits.Length > 0)
        {
            yaml.Append("\nemit:\n").Append(emits);
        }
        return yaml.ToString();
    }

    /// <summary>The draft checked with the loader <c>rpa validate</c> uses: every error as file:line:column: message.</summary>
    public static IReadOnlyList<string> Validate(string path, string yaml) =>
        PlaybookLoader.LoadText(path, yaml).Errors.Select(e => e.ToString()).ToList();

    private static string ExtractTable(AuthorAction action, ObservedElement element, SortedSet<string> maps)
    {
        var sb = new StringBuilder($"  - extract_table:\n      into: {action.Into}\n      target: {Target(element)}\n      columns:\n");
        foreach (var column in action.Columns)
        {
            var header = Q(element.Table!.Headers.First(h => h.Equals(column.Header.Trim(), StringComparison.OrdinalIgnoreCase)));
            switch (Parsers.GetValueOrDefault((action.Resource, column.Field)))
            {
                case null:
                    sb.Append($"        {header}: {column.Field}\n");
                    break;
                case "date":
                    sb.Append($"        {header}: {{ field: {column.Field}, parse: {{ date: {DateFormats} }} }}\n");
                    break;
                case var map:
                    maps.Add(map);
                    sb.Append($"        {header}: {{ field: {column.Field}, parse: {{ code: {{ map: {map} }} }} }}\n");
                    break;
            }
        }
        var frame = element.Locator.Frame is { } f ? $", frame: {Q(f)}" : "";
        // The sample may have fitted on one page; other patients' lists may not.
        sb.Append($"      paginate: {{ next: {{ role: link, name: \"Next\"{frame} }} }}\n");
        return sb.ToString();
    }

    private static string Emit(AuthorAction action, string? mrn)
    {
        var fields = action.Columns.Select(c => c.Field).ToHashSet(StringComparer.Ordinal);
        var patient = mrn is null ? "" : $"{{{{ {mrn} }}}}";
        var key = fields.Contains("code") ? "{{ row.code }}" : "{{ row.display }}";
        var sb = new StringBuilder($"  - resource: {action.Resource}\n    for_each: {action.Into}\n    key: {Q($"{patient}/allergy/{key}")}\n    map:\n");
        void Line(string field, string path, string value)
        {
            if (fields.Contains(field))
            {
                sb.Append($"      {path}: {Q(value)}\n");
            }
        }
        Line("status", "clinicalStatus.coding[0].system", "{{ row.status.system }}");
        Line("status", "clinicalStatus.coding[0].code", "{{ row.status.code }}");
        sb.Append("      verificationStatus.coding[0].system: http://terminology.hl7.org/CodeSystem/allergyintolerance-verification\n");
        sb.Append("      verificationStatus.coding[0].code: confirmed\n");
        Line("category", "category[0]", "{{ row.category | default: '' }}");
        Line("criticality", "criticality", "{{ row.criticality.code | default: '' }}");
        Line("system", "code.coding[0].system", "{{ row.system.code }}");
        Line("code", "code.coding[0].code", "{{ row.code }}");
        Line("display", "code.coding[0].display", "{{ row.display }}");
        Line("display", "code.text", "{{ row.display }}");
        if (mrn is not null)
        {
            sb.Append($"      patient.reference: {Q($"Patient/{{{{ {mrn} | fhir_id: Patient }}}}")}\n");
        }
        else
        {
            sb.Append("      # No MRN was read: set patient.reference to the patient these rows belong to.\n");
        }
        Line("recorded", "recordedDate", "{{ row.recorded | default: '' }}");
        Line("reaction", "reaction[0].manifestation[0].text", "{{ row.reaction | default: '' }}");
        return sb.ToString();
    }

    /// <summary>
    /// The element as a playbook target. A link named after a patient is written by where it leads (its address with
    /// the numbers cut off), so the draft holds no patient's name and finds the link for every patient.
    /// </summary>
    private static string Target(ObservedElement element)
    {
        var l = element.Locator;
        if (element.NameIsData && element.Href is { } href)
        {
            var prefix = href.Split('#')[0];
            return $"{{ css: {Q($"a[href^='{prefix}']")}{Modifiers(l with { Index = null })} }}";
        }
        var keyword = PlaybookNames.Targets.First(t => t.Value.ToString() == l.Kind.ToString()).Key;
        return l.Kind == LocatorKind.Role
            ? $"{{ role: {l.Value}{(l.Name is null ? "" : $", name: {Q(l.Name)}")}{Modifiers(l)} }}"
            : $"{{ {keyword}: {Q(l.Value)}{Modifiers(l)} }}";
    }

    private static string Modifiers(UiLocator l) =>
        (l.Exact ? ", exact: true" : "") +
        (l.Index is { } i ? string.Create(CultureInfo.InvariantCulture, $", index: {i}") : "") +
        (l.Frame is { } f ? $", frame: {Q(f)}" : "");

    /// <summary>A YAML double-quoted scalar (JSON's escapes are YAML's).</summary>
    private static string Q(string text) => JsonSerializer.Serialize(text, Yaml);

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    private static string Slug(string text) =>
        new string(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-') is { Length: > 0 } s ? s : "extract";
}
