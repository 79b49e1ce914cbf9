using RpaWorker.Engine.Steps;
using RpaWorker.Engine.Templates;
using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Running;

/// <summary>Everything a running step can see: the session, the scope, the compiled flows and handlers, the guards.</summary>
public sealed class ExecutionContext
{
    private readonly Dictionary<string, int> _handlerRuns = new(StringComparer.Ordinal);
    private readonly List<string> _screens = [];
    private object? _item;

    internal ExecutionContext(CompiledPlaybook playbook, IUiSession session, RunOptions options, Scope scope)
    {
        Playbook = playbook;
        Session = session;
        Options = options;
        Scope = scope;
        RecordScope = scope;
        Functions = new TemplateFunctions(options.ResourceId);
    }

    internal CompiledPlaybook Playbook { get; }

    internal PlaybookRunner Runner { get; init; } = null!;

    /// <summary>True while a work item runs.</summary>
    internal bool InWorkItem { get; private set; }

    /// <summary>Where extracted records go: the work item's scope, or the run's root scope outside work items.</summary>
    internal Scope RecordScope { get; private set; } = null!;

    /// <summary>Stores an extracted record or list under <paramref name="name"/> for templates and emits.</summary>
    internal void SetRecord(string name, object? value) => RecordScope.Set(name, value);

    internal void EnterWorkItem(Scope scope, object? item = null)
    {
        InWorkItem = true;
        _item = item;
        RecordScope = scope;
        _handlerRuns.Clear();
        _screens.Clear();
    }

    internal void LeaveWorkItem(Scope root)
    {
        InWorkItem = false;
        _item = null;
        RecordScope = root;
    }

    /// <summary>The UI session.</summary>
    public IUiSession Session { get; }

    /// <summary>Run options.</summary>
    public RunOptions Options { get; }

    /// <summary>The names templates see.</summary>
    public Scope Scope { get; private set; }

    /// <summary>Template functions of this run.</summary>
    public TemplateFunctions Functions { get; }

    /// <summary>True while a handler runs: handlers do not interrupt handlers.</summary>
    internal bool InHandler { get; private set; }

    /// <summary>How often each handler fired in the current work item.</summary>
    public IReadOnlyDictionary<string, int> HandlerRuns => _handlerRuns;

    /// <summary>Screens read in the current work item (for Provenance).</summary>
    public IReadOnlyList<string> Screens => _screens;

    /// <summary>Renders a template in the current scope.</summary>
    public string Render(string template) => Template.Render(template, Scope, Functions);

    /// <summary>Runs <paramref name="body"/> with a child scope, restoring the current one after.</summary>
    internal async Task<T> WithScopeAsync<T>(Scope child, Func<Task<T>> body)
    {
        var saved = Scope;
        Scope = child;
        try
        {
            return await body();
        }
        finally
        {
            Scope = saved;
        }
    }

    /// <summary>Notes that data was read from the current screen.</summary>
    internal void NoteScreen()
    {
        var location = Session.Location;
        // Query strings can carry search terms (names, MRNs): Provenance keeps the path only.
        var cut = location.IndexOfAny(['?', '#']);
        location = cut < 0 ? location : location[..cut];
        if (location.Length > 0 && !_screens.Contains(location))
        {
            _screens.Add(location);
        }
    }

    /// <summary>A target with its templates rendered, ready for the driver.</summary>
    public UiTarget Target(TargetDefinition target, string description)
    {
        var rendered = new UiTarget(target.Alternatives.Select(a => new UiLocator(Map(a.Kind), Render(a.Value), a.Name is null ? null : Render(a.Name), a.Exact, a.Index, a.Frame)).ToList(),
            description);
        // Where targets resolve, self-healing needs to know which written target a rendered one is.
        (Session as Healing.HealingSession)?.Attach(rendered, target);
        return rendered;
    }

    /// <summary>The timeout of a step.</summary>
    public TimeSpan TimeoutOf(StepDefinition step) => step.Timeout ?? Options.DefaultTimeout;

    /// <summary>
    /// Looks at the screen for each handler's condition and runs the first that matches. Returns the handler's
    /// name, or null when none matched; a failure when the handler itself failed or fired too often.
    /// </summary>
    internal async Task<(string? Handler, StepOutcome? Failure)> RunHandlersAsync(CancellationToken cancellationToken)
    {
        if (InHandler)
        {
            return (null, null);
        }
        foreach (var handler in Playbook.Handlers)
        {
            if (!await ConditionAsync(handler.Definition.When, cancellationToken))
            {
                continue;
            }
            return (handler.Definition.Name, await RunHandlerAsync(handler, cancellationToken));
        }
        return (null, null);
    }

    /// <summary>Runs one handler, counting it against its limit; the failure when it failed or fired too often.</summary>
    private async Task<StepOutcome?> RunHandlerAsync((HandlerDefinition Definition, IReadOnlyList<CompiledStep> Steps) handler, CancellationToken cancellationToken)
    {
        var count = _handlerRuns.GetValueOrDefault(handler.Definition.Name) + 1;
        _handlerRuns[handler.Definition.Name] = count;
        if (count > handler.Definition.MaxPerItem)
        {
            return StepOutcome.Fail($"handler '{handler.Definition.Name}' fired more than {handler.Definition.MaxPerItem} times in one work item");
        }
        InHandler = true;
        try
        {
            var outcome = await StepRunner.RunStepsAsync(handler.Steps, this, cancellationToken);
            return outcome.Ok ? null : outcome with { Reason = $"in handler '{handler.Definition.Name}': {outcome.Reason}" };
        }
        finally
        {
            InHandler = false;
        }
    }

    /// <summary>
    /// Screen triage: a step could not find its target and no handler's condition matched. The AI tier is shown the
    /// screen's outline and the handlers' names; when it names one, that handler runs. Returns the handler's name (or
    /// null when the tier is off, declined or named none) and the handler's failure.
    /// </summary>
    internal async Task<(string? Handler, StepOutcome? Failure)> TriageAsync(string stepId, CancellationToken cancellationToken)
    {
        if (InHandler || Playbook.Handlers.Count == 0 || Options.Assistant is null || Session is not Healing.HealingSession session)
        {
            return (null, null);
        }
        var answer = await session.ClassifyAsync([.. Playbook.Handlers.Select(h => h.Definition.Name)], stepId, cancellationToken);
        if (!answer.Ok || answer.Value!.Handler is not { } name)
        {
            return (null, null);
        }
        var handler = Playbook.Handlers.First(h => h.Definition.Name == name);
        return (name, await RunHandlerAsync(handler, cancellationToken));
    }

    /// <summary>Evaluates a condition on the screen now (no waiting).</summary>
    public async Task<bool> ConditionAsync(ConditionDefinition condition, CancellationToken cancellationToken)
    {
        switch (condition.Kind)
        {
            case ConditionKind.Text:
                return await Session.ShowsTextAsync(Render(condition.Text!), cancellationToken);
            case ConditionKind.Url:
                return Session.Location.Contains(Render(condition.Text!), StringComparison.OrdinalIgnoreCase);
            case ConditionKind.Dialog:
                return Session.OpenDialog is { } dialog &&
                       (condition.Text is null || dialog.Message.Contains(Render(condition.Text), StringComparison.OrdinalIgnoreCase));
            case ConditionKind.Visible:
                return await Session.IsVisibleAsync(Target(condition.Target!, condition.Target!.Describe()), cancellationToken);
            case ConditionKind.Hidden:
                return !await Session.IsVisibleAsync(Target(condition.Target!, condition.Target!.Describe()), cancellationToken);
            case ConditionKind.Not:
                return !await ConditionAsync(condition.Children[0], cancellationToken);
            case ConditionKind.Any:
                foreach (var child in condition.Children)
                {
                    if (await ConditionAsync(child, cancellationToken))
                    {
                        return true;
                    }
                }
                return false;
            default:
                foreach (var child in condition.Children)
                {
                    if (!await ConditionAsync(child, cancellationToken))
                    {
                        return false;
                    }
                }
                return true;
        }
    }

    /// <summary>
    /// The read-only guard at run time: the words of the target as written and, when it resolves, the text of the
    /// element itself (a CSS selector can point at a "Sign" button). Null when the action may go ahead.
    /// </summary>
    internal async Task<string?> ReadOnlyRefusalAsync(UiTarget target, CancellationToken cancellationToken)
    {
        var guards = Playbook.Definition.Guards;
        if (!guards.ReadOnly)
        {
            return null;
        }
        foreach (var locator in target.Locators)
        {
            var written = locator.Kind == LocatorKind.Role ? locator.Name : locator.Kind is LocatorKind.Text or LocatorKind.Label ? locator.Value : null;
            if (written is not null && guards.FindProtectedWord(written) is { } word)
            {
                return $"refused by the read-only guard: the target is named like '{word}'";
            }
        }
        var text = await Session.ReadTextAsync(target, TimeSpan.FromSeconds(2), cancellationToken);
        if (text.Ok && guards.FindProtectedWord(text.Value ?? "") is { } shown)
        {
            return $"refused by the read-only guard: the control is labelled like '{shown}'";
        }
        return null;
    }

    /// <summary>
    /// Values known to be PHI right now, for the AI tier to scrub from what it sends a provider not allowed to receive
    /// PHI: the work item's values (a patient list row), the run's inputs (an MRN) and what the banner guard expects.
    /// </summary>
    internal IReadOnlyList<string> KnownPhi()
    {
        var values = new List<string>();
        Collect(_item, values);
        values.AddRange(Options.Inputs.Where(i => i.Key != "base_url").Select(i => i.Value));
        if (Playbook.Definition.Guards.PatientBanner is { } guard)
        {
            try
            {
                values.Add(Render(guard.MustContain));
            }
            catch (TemplateException)
            {
                // No patient chosen yet.
            }
        }
        return [.. values.Select(v => v.Trim()).Where(v => v.Length >= 2).Distinct(StringComparer.Ordinal)];
    }

    private static void Collect(object? value, List<string> values)
    {
        switch (value)
        {
            case string text:
                values.Add(text);
                break;
            case System.Collections.IDictionary map:
                foreach (var item in map.Values)
                {
                    Collect(item, values);
                }
                break;
            case System.Collections.IEnumerable list:
                foreach (var item in list)
                {
                    Collect(item, values);
                }
                break;
            case null or InvalidValue:
                break;
            default:
                values.Add(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }

    /// <summary>The wrong-patient guard: null when the banner shows the expected patient, else the failure.</summary>
    internal async Task<StepOutcome?> CheckBannerAsync(CancellationToken cancellationToken)
    {
        if (Playbook.Definition.Guards.PatientBanner is not { } guard)
        {
            return null;
        }
        string expected;
        try
        {
            expected = Render(guard.MustContain);
        }
        catch (TemplateException)
        {
            // No patient has been chosen yet (a search list is being read): the guard has nothing to compare.
            return null;
        }
        if (expected.Trim().Length == 0)
        {
            return null;
        }
        // A checked read: a banner value the driver doubts still identifies the patient when it shows the one chosen;
        // whether it may be published is the extract step's question, and it holds such a value for review.
        var banner = await Session.ReadCheckedAsync(Target(guard.Target, "guards.patient_banner"), new UiValueCheck { Field = "guards.patient_banner" },
            Options.DefaultTimeout, cancellationToken);
        if (!banner.Ok)
        {
            return StepOutcome.Fail($"wrong-patient guard: the patient banner was not found ({banner.Reason})", banner.Failure);
        }
        return banner.Value!.Text.Contains(expected, StringComparison.OrdinalIgnoreCase)
            ? null
            : StepOutcome.Fail("wrong-patient guard: the banner does not show the patient being read; nothing of this patient is published");
    }

    private static LocatorKind Map(TargetKind kind) => kind switch
    {
        TargetKind.Role => LocatorKind.Role,
        TargetKind.Label => LocatorKind.Label,
        TargetKind.Text => LocatorKind.Text,
        TargetKind.RightOf => LocatorKind.RightOf,
        TargetKind.Below => LocatorKind.Below,
        TargetKind.NearHeading => LocatorKind.NearHeading,
        TargetKind.Css => LocatorKind.Css,
        TargetKind.XPath => LocatorKind.XPath,
        TargetKind.AccessibilityId => LocatorKind.AccessibilityId,
        TargetKind.OcrText => LocatorKind.OcrText,
        _ => LocatorKind.Ai,
    };
}
