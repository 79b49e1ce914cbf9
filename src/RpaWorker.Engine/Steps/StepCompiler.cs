using RpaWorker.Playbooks;
using RpaWorker.Playbooks.Model;

namespace RpaWorker.Engine.Steps;

/// <summary>A playbook compiled for running: its steps, handlers and sub-flows built once.</summary>
internal sealed class CompiledPlaybook
{
    public required PlaybookDefinition Definition { get; init; }

    public required IReadOnlyList<CompiledStep> Steps { get; init; }

    public required IReadOnlyList<(HandlerDefinition Definition, IReadOnlyList<CompiledStep> Steps)> Handlers { get; init; }
}

/// <summary>Looks through nested steps.</summary>
internal static class StepCompilerWalk
{
    /// <summary>Whether any step, nested ones included, satisfies <paramref name="predicate"/>.</summary>
    public static bool Any(IEnumerable<StepDefinition> steps, Func<StepDefinition, bool> predicate) => StepCompiler.Walk(steps).Any(predicate);
}

/// <summary>Builds runnable steps from definitions with the step factories.</summary>
internal sealed class StepCompiler
{
    private readonly PlaybookDefinition _playbook;
    private readonly Dictionary<Type, IStepFactory> _factories;
    private readonly Dictionary<string, IReadOnlyList<CompiledStep>> _flows = new(StringComparer.Ordinal);

    public StepCompiler(PlaybookDefinition playbook, IEnumerable<IStepFactory> factories)
    {
        _playbook = playbook;
        _factories = factories.ToDictionary(f => f.DefinitionType);
    }

    /// <summary>Errors the step factories find, each with its location.</summary>
    public IEnumerable<PlaybookError> Validate()
    {
        var all = _playbook.Steps.Concat(_playbook.Flows.Values.SelectMany(f => f.Steps)).Concat(_playbook.Handlers.SelectMany(h => h.Do));
        foreach (var step in Walk(all))
        {
            if (!_factories.TryGetValue(step.GetType(), out var factory))
            {
                yield return new PlaybookError(step.Location, $"step kind '{step.Kind}' cannot run in this engine");
                continue;
            }
            foreach (var error in factory.Validate(step, _playbook))
            {
                yield return error;
            }
        }
    }

    public CompiledPlaybook Compile() => new()
    {
        Definition = _playbook,
        Steps = Compile(_playbook.Steps, "steps"),
        Handlers = _playbook.Handlers.Select(h => (h, Compile(h.Do, $"on.{h.Name}"))).ToList(),
    };

    public IReadOnlyList<CompiledStep> Compile(IReadOnlyList<StepDefinition> steps, string prefix) =>
        steps.Select((s, i) => _factories[s.GetType()].Build(s, s.Id ?? $"{prefix}[{i}].{s.Kind}", this)).ToList();

    /// <summary>A sub-flow's compiled steps, built on first use.</summary>
    public IReadOnlyList<CompiledStep> Flow(string name)
    {
        if (!_flows.TryGetValue(name, out var steps))
        {
            // Reserve the slot first: a flow that calls itself (refused at load) would otherwise recurse here.
            _flows[name] = [];
            steps = _flows[name] = Compile(_playbook.Flows[name].Steps, $"flows.{name}");
        }
        return steps;
    }

    internal static IEnumerable<StepDefinition> Walk(IEnumerable<StepDefinition> steps) => PlaybookSteps.Walk(steps);
}
