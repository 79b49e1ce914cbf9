using RpaWorker.Playbooks.Model;

namespace RpaWorker.Playbooks;

/// <summary>The words of the playbook language, in one place for the loader, messages and the JSON Schema.</summary>
public static class PlaybookNames
{
    /// <summary>Driver keywords.</summary>
    public static readonly IReadOnlyDictionary<string, DriverKind> Drivers = new Dictionary<string, DriverKind>(StringComparer.Ordinal)
    {
        ["web"] = DriverKind.Web,
        ["atspi"] = DriverKind.Atspi,
        ["pixel"] = DriverKind.Pixel,
        ["uia"] = DriverKind.Uia,
    };

    /// <summary>Target keywords.</summary>
    public static readonly IReadOnlyDictionary<string, TargetKind> Targets = new Dictionary<string, TargetKind>(StringComparer.Ordinal)
    {
        ["role"] = TargetKind.Role,
        ["label"] = TargetKind.Label,
        ["text"] = TargetKind.Text,
        ["right_of"] = TargetKind.RightOf,
        ["below"] = TargetKind.Below,
        ["near_heading"] = TargetKind.NearHeading,
        ["css"] = TargetKind.Css,
        ["xpath"] = TargetKind.XPath,
        ["id"] = TargetKind.AccessibilityId,
        ["ocr_text"] = TargetKind.OcrText,
        ["ai"] = TargetKind.Ai,
    };

    /// <summary>Keys a target alternative may carry besides its keyword.</summary>
    public static readonly IReadOnlyList<string> TargetModifiers = ["name", "exact", "index", "frame"];

    /// <summary>Condition keywords.</summary>
    public static readonly IReadOnlyDictionary<string, ConditionKind> Conditions = new Dictionary<string, ConditionKind>(StringComparer.Ordinal)
    {
        ["text"] = ConditionKind.Text,
        ["visible"] = ConditionKind.Visible,
        ["hidden"] = ConditionKind.Hidden,
        ["url"] = ConditionKind.Url,
        ["dialog"] = ConditionKind.Dialog,
        ["any"] = ConditionKind.Any,
        ["all"] = ConditionKind.All,
        ["not"] = ConditionKind.Not,
    };

    /// <summary>Parser keywords.</summary>
    public static readonly IReadOnlyDictionary<string, ParserKind> Parsers = new Dictionary<string, ParserKind>(StringComparer.Ordinal)
    {
        ["text"] = ParserKind.Text,
        ["date"] = ParserKind.Date,
        ["datetime"] = ParserKind.DateTime,
        ["name"] = ParserKind.Name,
        ["number"] = ParserKind.Number,
        ["quantity"] = ParserKind.Quantity,
        ["code"] = ParserKind.Code,
        ["regex"] = ParserKind.Regex,
        ["split"] = ParserKind.Split,
    };

    /// <summary>Name layouts the name parser knows.</summary>
    public static readonly IReadOnlyList<string> NameLayouts = ["last_comma_first", "first_last"];

    /// <summary>Keys every step may carry besides its keyword.</summary>
    public static readonly IReadOnlyList<string> StepModifiers = ["id", "timeout", "retry", "optional"];

    /// <summary>Top-level keys of a playbook file.</summary>
    public static readonly IReadOnlyList<string> TopLevel =
        ["playbook", "version", "ehr", "driver", "credentials", "imports", "inputs", "guards", "on", "flows", "concept_maps", "steps", "emit"];

    /// <summary>Top-level keys an imported (shared) file may hold: what merges into the playbooks that import it.</summary>
    public static readonly IReadOnlyList<string> ImportableKeys = ["imports", "flows", "concept_maps", "emit"];

    /// <summary>Top-level keys only a playbook has; a file with none of them is a shared file for playbooks to import.</summary>
    public static readonly IReadOnlyList<string> PlaybookOnlyKeys = ["playbook", "version", "driver", "steps"];

    /// <summary>The keyword of a target kind.</summary>
    public static string Of(TargetKind kind) => Targets.First(t => t.Value == kind).Key;
}
