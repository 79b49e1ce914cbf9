using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RpaWorker.Ai;
using RpaWorker.Ai.Assistant;
using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;

namespace RpaWorker.Cli.Authoring;

/// <summary>What the author loop explores and with what.</summary>
internal sealed record AuthorSettings
{
    /// <summary>What to extract, in words (sent to the model as written: it must not hold PHI).</summary>
    public required string Goal { get; init; }

    /// <summary>The EHR's address, where exploration starts; the draft's <c>base_url</c> input.</summary>
    public required string Ehr { get; init; }

    /// <summary>The name of the credentials in the secret store; the draft's <c>credentials</c>.</summary>
    public string Credentials { get; init; } = "ehr";

    /// <summary>Values the model refers to as <c>${secrets.NAME}</c>. Never sent to the model.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>Values the model refers to as <c>${inputs.NAME}</c> (a sample patient's MRN). PHI: never sent to the model.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>Actions the model may propose before the loop gives up. Default 30.</summary>
    public int MaxSteps { get; init; } = 30;

    /// <summary>How long one action waits for its target.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>How an exploration ended.</summary>
internal enum AuthorStatus
{
    /// <summary>The model said the goal's data was read.</summary>
    Done,
    /// <summary>The model gave up.</summary>
    GaveUp,
    /// <summary>The step budget was spent first.</summary>
    StepBudgetSpent,
    /// <summary>The model kept repeating an action that changed nothing.</summary>
    Loop,
    /// <summary>The model gave no usable answer (provider error, AI budget spent).</summary>
    ModelFailed,
}

/// <summary>A step that worked, with what it acted on: the draft is written from these.</summary>
internal sealed record TrajectoryStep(AuthorAction Action, ObservedElement? Element);

/// <summary>The result of an exploration.</summary>
internal sealed record AuthorOutcome(AuthorStatus Status, string Message, IReadOnlyList<TrajectoryStep> Trajectory, int Steps, AiUsage Usage);

/// <summary>
/// The observe, ask, guard, act, record loop. Each turn the screen is observed and masked, the model proposes one
/// action, the read-only guard and the loop detector may refuse it (and the model is told why), the action runs, and
/// its result is observed on the next turn. Only the steps that worked are kept, in order, for the draft.
/// </summary>
internal sealed partial class AuthoringLoop(IUiSession session, StructuredChat chat, AuthorSettings settings, TextWriter log)
{
    private const int HistoryShown = 16;
    private static readonly GuardsDefinition ReadOnlyGuard = new();

    private readonly List<TrajectoryStep> _trajectory = [];
    private readonly List<string> _history = [];
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

    public async Task<AuthorOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var start = await session.NavigateAsync(settings.Ehr, settings.StepTimeout, cancellationToken);
        if (!start.Ok)
        {
            return Outcome(AuthorStatus.ModelFailed, $"the EHR at {settings.Ehr} could not be opened: {start.Reason}", 0);
        }
        var knownPhi = settings.Inputs.Values.Where(v => v.Length > 0).ToList();
        var secrets = settings.Secrets.Values.ToList();
        string? notice = null;
        for (var step = 1; step <= settings.MaxSteps; step++)
        {
            var screen = await ScreenObserver.ObserveAsync(session, knownPhi, cancellationToken);
            var payload = new JsonObject
            {
                ["goal"] = settings.Goal,
                ["screen"] = screen.ToPayload(chat.AllowPhi, knownPhi, secrets),
                ["secrets"] = new JsonArray(settings.Secrets.Keys.Where(k => k is "username" or "password").Select(k => (JsonNode)$"${{secrets.{k}}}").ToArray()),
                ["inputs"] = new JsonArray(settings.Inputs.Keys.Select(k => (JsonNode)$"${{inputs.{k}}}").ToArray()),
                ["history"] = new JsonArray(_history.TakeLast(HistoryShown).Select(h => (JsonNode)h).ToArray()),
                ["steps_left"] = settings.MaxSteps - step + 1,
            };
            if (notice is not null)
            {
                payload["notice"] = notice;
                notice = null;
            }
            var answer = await chat.AskAsync("author", $"author step {step}", AuthorAction.Instructions, payload, "next_action", AuthorAction.Schema(), cancellationToken);
            if (!answer.Ok)
            {
                return Outcome(AuthorStatus.ModelFailed, $"step {step}: the model gave no usable answer: {answer.Reason}", step);
            }
            var action = AuthorAction.Parse(answer.Value);
            log.WriteLine($"step {step}: {action.Describe()}");

            if (action.Kind == AuthorAction.GiveUp)
            {
                return Outcome(AuthorStatus.GaveUp, $"step {step}: the model gave up: {Quote(action.Reason)}", step);
            }
            if (action.Kind == AuthorAction.Done)
            {
                if (_trajectory.Any(t => t.Action.Kind is AuthorAction.ReadTable or AuthorAction.ReadField))
                {
                    return Outcome(AuthorStatus.Done, $"step {step}: the model reached the goal", step);
                }
                notice = Note(step, action, "refused: nothing has been read yet; read the data the goal asks for before saying done");
                continue;
            }

            var element = screen.Find(action.Target);
            if (Refusal(action, element) is { } refused)
            {
                notice = Note(step, action, refused);
                log.WriteLine($"  {refused}");
                continue;
            }

            // The same action on the same screen again changed nothing the first time: say so once, then stop.
            var key = screen.Fingerprint() + "|" + action.Key;
            var times = _seen[key] = _seen.GetValueOrDefault(key) + 1;
            if (times == 2)
            {
                notice = Note(step, action, "refused: loop: this action was already done on this same screen and changed nothing; choose another action, or give_up");
                log.WriteLine("  refused: the same action on the same screen again (loop)");
                continue;
            }
            if (times > 2)
            {
                return Outcome(AuthorStatus.Loop,
                    $"step {step}: stopped: loop detected: the model repeated \"{action.Describe()}\" on an unchanged screen after being told it changed nothing", step);
            }

            var (ok, result) = await ActAsync(action, element!, cancellationToken);
            _history.Add($"step {step}: {action.Describe()} -> {result}");
            log.WriteLine($"  {result}");
            if (ok)
            {
                _trajectory.Add(new TrajectoryStep(action, element));
            }
        }
        return Outcome(AuthorStatus.StepBudgetSpent,
            $"stopped: the step budget of {settings.MaxSteps} action(s) (--max-steps) was spent before the model reached the goal", settings.MaxSteps);
    }

    private AuthorOutcome Outcome(AuthorStatus status, string message, int steps) => new(status, message, _trajectory, steps, chat.Usage);

    private string Note(int step, AuthorAction action, string result)
    {
        _history.Add($"step {step}: {action.Describe()} -> {result}");
        return $"Your last action ({action.Describe()}) was {result}";
    }

    /// <summary>Why the action may not run, or null. The read-only guard reads both the model's words and the element's own name.</summary>
    private string? Refusal(AuthorAction action, ObservedElement? element)
    {
        if (action.Kind is AuthorAction.Click or AuthorAction.SelectTab)
        {
            var word = ReadOnlyGuard.FindProtectedWord(action.Target) ?? (element is null ? null : ReadOnlyGuard.FindProtectedWord(element.Name));
            if (word is not null)
            {
                return $"refused by the read-only guard: the control is named like one that changes the record (\"{word}\"); this exploration only reads";
            }
        }
        if (element is null)
        {
            return $"refused: there is no element \"{Quote(action.Target)}\" on this screen; use an id from the screen's elements";
        }
        var wanted = action.Kind switch
        {
            AuthorAction.Fill => ElementKind.Field,
            AuthorAction.ReadField => ElementKind.Value,
            AuthorAction.ReadTable => ElementKind.Table,
            _ => ElementKind.Control,
        };
        if (element.Kind != wanted)
        {
            return $"refused: {element.Id} is a {element.Kind.ToString().ToLowerInvariant()}, and {action.Kind} needs a {wanted.ToString().ToLowerInvariant()}";
        }
        if (action.Kind is AuthorAction.ReadField or AuthorAction.ReadTable && !Identifier().IsMatch(action.Into))
        {
            return "refused: into must be a name of letters, digits and _ starting with a letter (e.g. allergies, patient)";
        }
        if (action.Kind == AuthorAction.ReadField && !Identifier().IsMatch(action.Field))
        {
            return "refused: field must be a name of letters, digits and _ starting with a letter (e.g. mrn)";
        }
        if (action.Kind == AuthorAction.ReadTable)
        {
            if (action.Columns.Count == 0)
            {
                return "refused: read_table needs the columns to read, each with its field";
            }
            var headers = element.Table!.Headers;
            var missing = action.Columns.Where(c => !headers.Contains(c.Header.Trim(), StringComparer.OrdinalIgnoreCase)).Select(c => c.Header).ToList();
            if (missing.Count > 0)
            {
                return $"refused: the table has no column {string.Join(", ", missing.Select(m => $"\"{Quote(m)}\""))}; its columns are {string.Join(", ", headers.Select(h => $"\"{h}\""))}";
            }
            if (action.Columns.FirstOrDefault(c => !Identifier().IsMatch(c.Field)) is { } bad)
            {
                return $"refused: the field for column \"{Quote(bad.Header)}\" must be a name of letters, digits and _";
            }
            if (!AuthorAction.Resources.TryGetValue(action.Resource, out var fields))
            {
                return $"refused: resource must be one of {string.Join(", ", AuthorAction.Resources.Keys)}";
            }
            var unknown = action.Columns.Select(c => c.Field).Where(f => fields.Count > 0 && !fields.Contains(f, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                return $"refused: {action.Resource} has no field {string.Join(", ", unknown)}; its fields are {string.Join(", ", fields)}";
            }
        }
        if (action.Kind == AuthorAction.Fill && Resolve(action.Value) is { Error: { } error })
        {
            return "refused: " + error;
        }
        return null;
    }

    /// <summary>Runs the action: whether it worked, and what to tell the model (the driver's reasons never hold screen values).</summary>
    private async Task<(bool Ok, string Result)> ActAsync(AuthorAction action, ObservedElement element, CancellationToken cancellationToken)
    {
        var target = UiTarget.Of(element.Locator, element.Id);
        var timeout = settings.StepTimeout;
        switch (action.Kind)
        {
            case AuthorAction.Fill:
                var fill = await session.FillAsync(target, Resolve(action.Value).Value!, timeout, cancellationToken);
                return Said(fill);
            case AuthorAction.Click or AuthorAction.SelectTab:
                var click = await session.ClickAsync(target, timeout, cancellationToken);
                return Said(click);
            case AuthorAction.ReadField:
                var text = await session.ReadTextAsync(target, timeout, cancellationToken);
                return Said(text);
            default:
                var table = await session.ReadTableAsync(target, timeout, cancellationToken);
                return table.Ok
                    ? (true, string.Create(CultureInfo.InvariantCulture, $"ok: {table.Value!.Rows.Count} row(s) read"))
                    : Said(table);
        }
    }

    private static (bool Ok, string Result) Said<T>(UiResult<T> result) => result.Ok ? (true, "ok") : (false, "failed: " + result.Reason);

    /// <summary>A fill value: a reference resolved locally, or the literal text.</summary>
    private (string? Value, string? Error) Resolve(string value)
    {
        var match = Reference().Match(value.Trim());
        if (!match.Success)
        {
            return (value, null);
        }
        var (source, name) = (match.Groups[1].Value, match.Groups[2].Value);
        var values = source == "secrets" ? settings.Secrets : settings.Inputs;
        return values.TryGetValue(name, out var resolved)
            ? (resolved, null)
            : (null, $"there is no {source}.{name}; {source} offered: {string.Join(", ", values.Keys.Select(k => $"${{{source}.{k}}}"))}");
    }

    /// <summary>The model's words, shortened for a message. Its words can echo the screen, so they are scrubbed.</summary>
    private static string Quote(string text) =>
        StructuredChat.Scrub(text.Length > 120 ? text[..120] + "…" : text, []);

    [GeneratedRegex(@"^\$\{(secrets|inputs)\.([A-Za-z_][A-Za-z0-9_]*)\}$")]
    internal static partial Regex Reference();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
