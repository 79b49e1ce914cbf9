using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Healing;

/// <summary>What the engine does with a target, which decides whether and how it may be healed.</summary>
internal enum HealRole
{
    /// <summary>A value read into a field, or the patient banner: healed when the value found passes the field's checks.</summary>
    Read,
    /// <summary>A table: healed when the table found has the columns the step reads.</summary>
    Table,
    /// <summary>A click followed by a step whose target shows the click worked: healed when that target appears.</summary>
    Action,
    /// <summary>Anything else (fills, key presses, waits, pagers, handlers): never healed on its own, but uses heals found elsewhere.</summary>
    Other,
}

/// <summary>
/// One place in a playbook where a target is written: its path (the step's id, or its position), what it is used for,
/// and what proves a heal of it right. Sites whose targets are written alike share heals (<see cref="Written"/>).
/// </summary>
internal sealed record HealSite(string Path, HealRole Role, UiElementKind Kind, TargetDefinition Target)
{
    /// <summary>The field read, for <see cref="HealRole.Read"/> sites of an extract step.</summary>
    public FieldDefinition? Field { get; init; }

    /// <summary>The step, for <see cref="HealRole.Table"/> sites.</summary>
    public ExtractTableStep? Table { get; init; }

    /// <summary>For <see cref="HealRole.Action"/> sites: the next step's target, which must appear after the click.</summary>
    public TargetDefinition? Next { get; init; }

    /// <summary>
    /// For <see cref="HealRole.Action"/> sites followed by a wait for a text (<c>wait: { until: { text: … } }</c>): the
    /// text the screen must show after the click.
    /// </summary>
    public string? NextText { get; init; }

    /// <summary>
    /// Whether <see cref="Next"/> is the target of a click (a row selected, then a button opens it): such a control is
    /// often on the screen before the click too, so its appearing proves less than a value or a table.
    /// </summary>
    public bool NextIsClick { get; init; }

    /// <summary>
    /// A wait for the target to be visible. When it is written like a read, the wait heals as the read would: a wait
    /// for the banner must not time out on the screen the read then heals on.
    /// </summary>
    public bool AwaitsValue { get; init; }

    /// <summary>The target as written, e.g. <c>right_of "DOB:"</c>: heals are shared by every site written alike.</summary>
    public string Written => Target.Describe();
}

/// <summary>Finds every target a playbook writes, with its site.</summary>
internal static class HealSites
{
    public static Dictionary<TargetDefinition, HealSite> Of(PlaybookDefinition playbook)
    {
        var sites = new Dictionary<TargetDefinition, HealSite>(ReferenceEqualityComparer.Instance);
        Walk(playbook.Steps, "steps", sites);
        foreach (var flow in playbook.Flows.Values)
        {
            Walk(flow.Steps, $"flows.{flow.Name}", sites);
        }
        foreach (var handler in playbook.Handlers)
        {
            Walk(handler.Do, $"on.{handler.Name}", sites, inHandler: true);
        }
        if (playbook.Guards.PatientBanner is { } banner)
        {
            Add(sites, new HealSite("guards.patient_banner", HealRole.Read, UiElementKind.Value, banner.Target));
        }
        return sites;
    }

    private static void Walk(IReadOnlyList<StepDefinition> steps, string prefix, Dictionary<TargetDefinition, HealSite> sites, bool inHandler = false)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            // The same ids the step compiler gives, so a site's path names the step a run reports.
            var path = step.Id ?? $"{prefix}[{i}].{step.Kind}";
            switch (step)
            {
                case ClickStep click:
                    var next = inHandler ? null : NextTarget(steps, i);
                    var nextText = inHandler ? null : NextText(steps, i);
                    Add(sites, new HealSite(path, next is null && nextText is null ? HealRole.Other : HealRole.Action, UiElementKind.Control, click.Target)
                    {
                        Next = next,
                        NextText = nextText,
                        NextIsClick = next is not null && steps[i + 1] is ClickStep,
                    });
                    break;
                case ExtractStep extract:
                    foreach (var field in extract.Fields)
                    {
                        Add(sites, new HealSite($"{path}.{field.Name}", HealRole.Read, UiElementKind.Value, field.Target) { Field = field });
                    }
                    break;
                case ExtractTableStep table:
                    Add(sites, new HealSite($"{path}.table", table.Transposed ? HealRole.Other : HealRole.Table, UiElementKind.Table, table.Target) { Table = table });
                    if (table.Paginate is { } paginate)
                    {
                        Add(sites, new HealSite($"{path}.next", HealRole.Other, UiElementKind.Control, paginate.Next));
                    }
                    break;
                case FillStep fill:
                    Add(sites, new HealSite(path, HealRole.Other, UiElementKind.Field, fill.Target));
                    break;
                case SelectStep select:
                    Add(sites, new HealSite(path, HealRole.Other, UiElementKind.Field, select.Target));
                    break;
                case PressStep { Target: { } pressed }:
                    Add(sites, new HealSite(path, HealRole.Other, UiElementKind.Field, pressed));
                    break;
                case WaitStep { Until: { Kind: ConditionKind.Visible, Target: { } waited } }:
                    Add(sites, new HealSite(path, HealRole.Other, UiElementKind.Value, waited) { AwaitsValue = true });
                    break;
                case WaitStep { Until.Target: { } waited }:
                    Add(sites, new HealSite(path, HealRole.Other, UiElementKind.Value, waited));
                    break;
                case ForEachStep loop:
                    Walk(loop.Do, path, sites, inHandler);
                    break;
                case IfStep branch:
                    Walk(branch.Then, path + ".then", sites, inHandler);
                    Walk(branch.Else, path + ".else", sites, inHandler);
                    break;
            }
        }
    }

    /// <summary>
    /// The target that shows a click worked: the next step's, when it reads or waits for something, or clicks something
    /// (a list's row is selected, then a button opens it).
    /// </summary>
    private static TargetDefinition? NextTarget(IReadOnlyList<StepDefinition> steps, int index) =>
        index + 1 < steps.Count
            ? steps[index + 1] switch
            {
                ExtractTableStep table => table.Target,
                ExtractStep { Fields.Count: > 0 } extract => extract.Fields.FirstOrDefault(f => f.Required)?.Target,
                WaitStep { Until: { Kind: ConditionKind.Visible, Target: { } visible } } => visible,
                ClickStep click => click.Target,
                _ => null,
            }
            : null;

    /// <summary>
    /// The text that shows a click worked: the next step's, when it waits for the screen to show a text. Not one written
    /// with templates: rendered, it can hold patient data, and it changes from patient to patient.
    /// </summary>
    private static string? NextText(IReadOnlyList<StepDefinition> steps, int index) =>
        index + 1 < steps.Count && steps[index + 1] is WaitStep { Until: { Kind: ConditionKind.Text, Text: { Length: > 0 } text } }
            && !text.Contains("{{", StringComparison.Ordinal)
            ? text
            : null;

    // A target written with templates ("#open-{{ p.mrn }}") is rendered from data: it is neither fingerprinted nor
    // healed, since its rendered form can hold patient data.
    private static void Add(Dictionary<TargetDefinition, HealSite> sites, HealSite site)
    {
        if (site.Target.Alternatives.All(a => !a.Value.Contains("{{", StringComparison.Ordinal) && a.Name?.Contains("{{", StringComparison.Ordinal) != true))
        {
            sites.TryAdd(site.Target, site);
        }
    }
}
