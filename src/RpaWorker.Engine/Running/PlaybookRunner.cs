using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using RpaWorker.Engine.Steps;
using RpaWorker.Engine.Templates;
using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Running;

/// <summary>A playbook that cannot run: its inputs are wrong or it did not compile. The message is PHI-free.</summary>
public sealed class PlaybookRunException(string message) : RpaWorkerException(message);

/// <summary>
/// Runs a playbook against a UI session. A <c>for_each</c> marked <c>work_item: true</c> makes each item (a patient)
/// a work item of its own: its outcome is recorded, its resources are drafted from what it read, and a failure
/// moves on to the next item. A playbook without one is a single work item.
/// </summary>
public sealed class PlaybookRunner
{
    private readonly CompiledPlaybook _playbook;

    private PlaybookRunner(CompiledPlaybook playbook) => _playbook = playbook;

    /// <summary>The playbook this runner runs.</summary>
    public PlaybookDefinition Definition => _playbook.Definition;

    /// <summary>Compiles a loaded playbook; the step factories' own checks are reported like load errors.</summary>
    /// <exception cref="PlaybookRunException">The playbook has errors.</exception>
    public static PlaybookRunner Create(PlaybookDefinition playbook)
    {
        var compiler = new StepCompiler(playbook, StepFactories.All);
        var errors = compiler.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new PlaybookRunException("the playbook cannot run:\n" + string.Join("\n", errors));
        }
        return new PlaybookRunner(compiler.Compile());
    }

    /// <summary>Checks inputs against the playbook's declarations; returns every problem (names only, never values).</summary>
    public IReadOnlyList<string> CheckInputs(IReadOnlyDictionary<string, string> inputs)
    {
        var problems = new List<string>();
        foreach (var input in Definition.Inputs)
        {
            if (!inputs.TryGetValue(input.Name, out var value))
            {
                if (input.Required && input.Default is null)
                {
                    problems.Add($"input '{input.Name}' is required (--input {input.Name}=…)");
                }
                continue;
            }
            if (input.Pattern is not null && !Regex.IsMatch(value, $"^(?:{input.Pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                problems.Add($"input '{input.Name}' does not match its pattern {input.Pattern}");
            }
            var typeOk = input.Type switch
            {
                InputType.Integer => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                InputType.Date => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                InputType.Boolean => value is "true" or "false",
                _ => true,
            };
            if (!typeOk)
            {
                problems.Add($"input '{input.Name}' is not a {input.Type.ToString().ToLowerInvariant()}");
            }
        }
        problems.AddRange(inputs.Keys.Where(k => Definition.Inputs.All(i => i.Name != k)).Select(k => $"the playbook has no input '{k}'"));
        return problems;
    }

    /// <summary>Runs the playbook in <paramref name="session"/>.</summary>
    /// <exception cref="PlaybookRunException">The inputs are wrong.</exception>
    public async Task<RunResult> RunAsync(IUiSession session, RunOptions options, CancellationToken cancellationToken)
    {
        var problems = CheckInputs(options.Inputs);
        if (problems.Count > 0)
        {
            throw new PlaybookRunException(string.Join("; ", problems));
        }
        var root = new Scope();
        var inputs = Definition.Inputs.ToDictionary(i => i.Name, i => (object?)(options.Inputs.TryGetValue(i.Name, out var v) ? v : i.Default ?? ""), StringComparer.Ordinal);
        root.Set("inputs", inputs);
        root.Set("secrets", options.Secrets.ToDictionary(s => s.Key, s => (object?)s.Value, StringComparer.Ordinal));
        // ai: targets resolve where heals do; without self-healing they get a store of their own that lasts the run.
        var healing = options.Healing is { } heal ? new Healing.HealingSession(session, heal, Definition, options.TimeProvider)
            : options.Assistant is not null ? new Healing.HealingSession(session, Healing.SelfHealing.AiOnly(), Definition, options.TimeProvider)
            : null;
        var context = new ExecutionContext(_playbook, healing ?? session, options, root) { Runner = this };
        if (healing is not null)
        {
            healing.Render = context.Target;
            healing.Assistant = options.Assistant;
            healing.KnownPhi = context.KnownPhi;
        }
        _items = [];
        _ranWorkItems = false;
        var started = Stopwatch.GetTimestamp();

        var outcome = await StepRunner.RunStepsAsync(_playbook.Steps, context, cancellationToken);
        if (!_ranWorkItems && HasWorkItemLoop && !outcome.Ok)
        {
            // It failed before reaching its work items (the login, the patient list): no patient was attempted.
            return new RunResult([], outcome);
        }
        if (!_ranWorkItems)
        {
            // The playbook is one work item: what it read is drafted only if every step succeeded.
            var item = Finish(context, root, "1", 0, outcome, started);
            await NotifyAsync(item, options, cancellationToken);
            return new RunResult(_items, null);
        }
        return new RunResult(_items, outcome.Ok ? null : outcome);
    }

    private bool HasWorkItemLoop => Steps.StepCompilerWalk.Any(_playbook.Definition.Steps, s => s is ForEachStep { WorkItem: true });

    private List<WorkItemResult> _items = [];
    private bool _ranWorkItems;

    internal async Task<StepOutcome> RunWorkItemsAsync(ForEachFactory.Run loop, ExecutionContext context, CancellationToken cancellationToken)
    {
        _ranWorkItems = true;
        var items = ForEachFactory.Items(loop.Loop, context);
        context.Options.OnItemsPlanned?.Invoke(items.Count);
        var root = context.RecordScope;
        for (var index = 0; index < items.Count; index++)
        {
            if (context.Options.ItemFilter is { } filter && !filter(index, KeyOf(items[index], index)))
            {
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            context.Options.OnItemStarted?.Invoke(index);
            var started = Stopwatch.GetTimestamp();
            var scope = context.Scope.Child();
            scope.Set(loop.Loop.As, items[index]);
            context.EnterWorkItem(scope, items[index]);
            StepOutcome outcome;
            try
            {
                outcome = await context.WithScopeAsync(scope, () => StepRunner.RunStepsAsync(loop.Body, context, cancellationToken));
            }
            finally
            {
                context.LeaveWorkItem(root);
            }
            var result = Finish(context, scope, KeyOf(items[index], index), index, outcome, started);
            await NotifyAsync(result, context.Options, cancellationToken);
        }
        return StepOutcome.Success;
    }

    private WorkItemResult Finish(ExecutionContext context, Scope scope, string key, int index, StepOutcome outcome, long started)
    {
        var drafts = outcome.Ok ? EmitBuilder.Build(Definition, scope, context.Functions) : [];
        var result = new WorkItemResult(key, index, outcome.Ok ? WorkItemStatus.Succeeded : WorkItemStatus.Failed, outcome.Ok ? null : outcome,
            drafts, [.. context.Screens], Stopwatch.GetElapsedTime(started), new Dictionary<string, int>(context.HandlerRuns));
        _items.Add(result);
        return result;
    }

    private static async Task NotifyAsync(WorkItemResult item, RunOptions options, CancellationToken cancellationToken)
    {
        if (options.OnItemFinished is { } callback)
        {
            await callback(item, cancellationToken);
        }
    }

    private static string KeyOf(object? item, int index) => item switch
    {
        string s => s,
        IReadOnlyDictionary<string, object?> record =>
            new[] { "key", "mrn", "id" }.Select(k => record.TryGetValue(k, out var v) ? Template.AsText(v) : "").FirstOrDefault(v => v.Length > 0)
            ?? (index + 1).ToString(CultureInfo.InvariantCulture),
        _ => (index + 1).ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>Renders a playbook's emit entries against what a work item read.</summary>
internal static class EmitBuilder
{
    public static List<ResourceDraft> Build(PlaybookDefinition playbook, Scope scope, TemplateFunctions functions)
    {
        var drafts = new List<ResourceDraft>();
        foreach (var emit in playbook.Emit)
        {
            if (emit.ForEach is null)
            {
                if (Draft(emit, scope, functions) is { } single)
                {
                    drafts.Add(single);
                }
                continue;
            }
            if (!scope.TryResolve(emit.ForEach, out var list) || list is not IReadOnlyList<object?> rows)
            {
                // Nothing was read into that list (an empty section): nothing to emit.
                continue;
            }
            foreach (var row in rows)
            {
                var rowScope = scope.Child();
                rowScope.Set(emit.As, row);
                if (Draft(emit, rowScope, functions) is { } draft)
                {
                    drafts.Add(draft);
                }
            }
        }
        return drafts;
    }

    private static ResourceDraft? Draft(EmitDefinition emit, Scope scope, TemplateFunctions functions)
    {
        var problems = new List<string>();
        foreach (var (condition, wanted, name) in new[] { (emit.When, true, "when"), (emit.Unless, false, "unless") })
        {
            if (condition is null)
            {
                continue;
            }
            try
            {
                if (Template.IsTrue(Template.Render(condition, scope, functions)) != wanted)
                {
                    return null;
                }
            }
            catch (TemplateException ex)
            {
                problems.Add($"{name}: {ex.Message}");
            }
        }
        var key = "";
        try
        {
            key = Template.Render(emit.Key, scope, functions);
        }
        catch (TemplateException ex)
        {
            problems.Add($"key: {ex.Message}");
        }
        var assignments = new List<KeyValuePair<string, string>>();
        foreach (var (path, template) in emit.Map)
        {
            try
            {
                assignments.Add(new(path, Template.Render(template, scope, functions)));
            }
            catch (TemplateException ex)
            {
                problems.Add($"{path}: {ex.Message}");
            }
        }
        var draft = new ResourceDraft(emit.Resource, key, assignments, problems, emit.Location);
        return emit.ForEach is not null && scope.TryGet(emit.As, out var row) && row is Steps.ExtractedRecord extracted ? MachineExtraction.Mark(draft, extracted) : draft;
    }
}
