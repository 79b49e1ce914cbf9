using RpaWorker.Engine.Running;
using RpaWorker.Engine.Templates;
using RpaWorker.Playbooks.Model;
using ExecutionContext = RpaWorker.Engine.Running.ExecutionContext;

namespace RpaWorker.Engine.Steps;

// Steps that shape the flow: sub-flows, branches, loops, variables.

internal sealed class CallFactory : StepFactory<CallStep>
{
    protected override CompiledStep Build(CallStep step, string id, StepCompiler compiler) => new Run(step, id, compiler);

    private sealed class Run(CallStep step, string id, StepCompiler compiler) : CompiledStep(step, id)
    {
        public override bool TouchesScreen => false;

        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken)
        {
            // Sub-flows are compiled on first use, so cyclic definitions (refused at load) could never recurse here.
            var steps = compiler.Flow(step.Flow);
            var scope = context.Scope.Child();
            foreach (var (name, value) in step.With)
            {
                scope.Set(name, context.Render(value));
            }
            // With a retry policy on the call, a transient failure deep in the sub-flow (a form post that met a server
            // error) is retried from the sub-flow's start, whose first steps set up what the failed one needed (the
            // filled form). Only on request: a sub-flow that reads a chart is not safe to restart from any screen.
            var attempts = step.Retry?.Attempts ?? 1;
            var outcome = StepOutcome.Success;
            for (var attempt = 1; attempt <= attempts; attempt++)
            {
                outcome = await context.WithScopeAsync(scope, () => StepRunner.RunStepsAsync(steps, context, cancellationToken));
                if (outcome.Ok || !outcome.Transient)
                {
                    break;
                }
            }
            return outcome.Ok ? outcome : outcome with { Reason = $"in sub-flow '{step.Flow}': {outcome.Reason}" };
        }
    }
}

internal sealed class IfFactory : StepFactory<IfStep>
{
    protected override CompiledStep Build(IfStep step, string id, StepCompiler compiler) =>
        new Run(step, id, compiler.Compile(step.Then, id + ".then"), compiler.Compile(step.Else, id + ".else"));

    private sealed class Run(IfStep step, string id, IReadOnlyList<CompiledStep> then, IReadOnlyList<CompiledStep> @else) : CompiledStep(step, id)
    {
        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken) =>
            await StepRunner.RunStepsAsync(await context.ConditionAsync(step.When, cancellationToken) ? then : @else, context, cancellationToken);
    }
}

internal sealed class ForEachFactory : StepFactory<ForEachStep>
{
    protected override CompiledStep Build(ForEachStep step, string id, StepCompiler compiler) => new Run(step, id, compiler.Compile(step.Do, id));

    /// <summary>The items of a for_each: a list in scope, or a rendered template split on commas.</summary>
    internal static IReadOnlyList<object?> Items(ForEachStep step, ExecutionContext context)
    {
        var expression = step.In.Trim();
        if (Template.HasTemplate(expression))
        {
            var text = context.Render(expression);
            return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Cast<object?>().ToList();
        }
        if (!context.Scope.TryResolve(expression, out var value))
        {
            throw new TemplateException($"for_each in '{expression}': nothing by that name has been read yet");
        }
        return value switch
        {
            IReadOnlyList<object?> list => list,
            string s => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Cast<object?>().ToList(),
            null => [],
            _ => [value],
        };
    }

    internal sealed class Run(ForEachStep loop, string id, IReadOnlyList<CompiledStep> body) : CompiledStep(loop, id)
    {
        public ForEachStep Loop => loop;

        public IReadOnlyList<CompiledStep> Body => body;

        public override bool TouchesScreen => false;

        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken)
        {
            if (loop.WorkItem && !context.InWorkItem)
            {
                return await context.Runner.RunWorkItemsAsync(this, context, cancellationToken);
            }
            foreach (var item in Items(loop, context))
            {
                var scope = context.Scope.Child();
                scope.Set(loop.As, item);
                var outcome = await context.WithScopeAsync(scope, () => StepRunner.RunStepsAsync(Body, context, cancellationToken));
                if (!outcome.Ok)
                {
                    return outcome;
                }
            }
            return StepOutcome.Success;
        }
    }
}

internal sealed class SetFactory : StepFactory<SetStep>
{
    protected override CompiledStep Build(SetStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(SetStep step, string id) : CompiledStep(step, id)
    {
        public override bool TouchesScreen => false;

        public override Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken)
        {
            foreach (var (name, value) in step.Values)
            {
                context.Scope.SetWhereDefined(name, context.Render(value));
            }
            return Task.FromResult(StepOutcome.Success);
        }
    }
}

internal sealed class CheckpointFactory : StepFactory<CheckpointStep>
{
    protected override CompiledStep Build(CheckpointStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(CheckpointStep step, string id) : CompiledStep(step, id)
    {
        public override bool TouchesScreen => false;

        public override Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken)
        {
            context.Scope.SetWhereDefined("checkpoint", step.Name);
            return Task.FromResult(StepOutcome.Success);
        }
    }
}

internal sealed class FailFactory : StepFactory<FailStep>
{
    protected override CompiledStep Build(FailStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(FailStep step, string id) : CompiledStep(step, id)
    {
        public override bool TouchesScreen => false;

        // The message is the playbook's own words: templates are not rendered so that no screen data reaches it.
        public override Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken) =>
            Task.FromResult(StepOutcome.Fail(step.Message));
    }
}
