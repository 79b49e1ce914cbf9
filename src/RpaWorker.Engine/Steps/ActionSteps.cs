using RpaWorker.Engine.Running;
using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;
using ExecutionContext = RpaWorker.Engine.Running.ExecutionContext;

namespace RpaWorker.Engine.Steps;

// Steps that act on the screen. Each turns the driver's UiResult into a StepOutcome.

internal static class Outcomes
{
    public static StepOutcome From<T>(UiResult<T> result) =>
        result.Ok ? StepOutcome.Success : StepOutcome.Fail(result.Reason ?? result.Failure.ToString()!, result.Failure);
}

internal sealed class GotoFactory : StepFactory<GotoStep>
{
    protected override CompiledStep Build(GotoStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(GotoStep step, string id) : CompiledStep(step, id)
    {
        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken) =>
            Outcomes.From(await context.Session.NavigateAsync(context.Render(step.Url), context.TimeoutOf(step), cancellationToken));
    }
}

internal sealed class ReloadFactory : StepFactory<ReloadStep>
{
    protected override CompiledStep Build(ReloadStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(ReloadStep step, string id) : CompiledStep(step, id)
    {
        // A reload is what handlers do about the screen: checking handlers before it would loop.
        public override bool TouchesScreen => false;

        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken) =>
            Outcomes.From(await context.Session.NavigateAsync(context.Session.Location, context.TimeoutOf(step), cancellationToken));
    }
}

internal sealed class ClickFactory : StepFactory<ClickStep>
{
    protected override CompiledStep Build(ClickStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(ClickStep step, string id) : CompiledStep(step, id)
    {
        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken)
        {
            var target = context.Target(step.Target, $"{Id}: {step.Target.Describe()}");
            if (await context.ReadOnlyRefusalAsync(target, cancellationToken) is { } refusal)
            {
                return StepOutcome.Fail(refusal);
            }
            return Outcomes.From(await context.Session.ClickAsync(target, context.TimeoutOf(step), cancellationToken));
        }
    }
}

internal sealed class FillFactory : StepFactory<FillStep>
{
    protected override CompiledStep Build(FillStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(FillStep step, string id) : CompiledStep(step, id)
    {
        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken) =>
            Outcomes.From(await context.Session.FillAsync(context.Target(step.Target, $"{Id}: {step.Target.Describe()}"),
                context.Render(step.Value), context.TimeoutOf(step), cancellationToken));
    }
}

internal sealed class SelectFactory : StepFactory<SelectStep>
{
    protected override CompiledStep Build(SelectStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(SelectStep step, string id) : CompiledStep(step, id)
    {
        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken) =>
            Outcomes.From(await context.Session.SelectAsync(context.Target(step.Target, $"{Id}: {step.Target.Describe()}"),
                context.Render(step.Option), context.TimeoutOf(step), cancellationToken));
    }
}

internal sealed class PressFactory : StepFactory<PressStep>
{
    protected override CompiledStep Build(PressStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(PressStep step, string id) : CompiledStep(step, id)
    {
        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken)
        {
            var target = step.Target is null ? null : context.Target(step.Target, $"{Id}: {step.Target.Describe()}");
            if (target is not null && step.Key.Equals("Enter", StringComparison.OrdinalIgnoreCase) &&
                await context.ReadOnlyRefusalAsync(target, cancellationToken) is { } refusal)
            {
                return StepOutcome.Fail(refusal);
            }
            return Outcomes.From(await context.Session.PressAsync(step.Key, target, context.TimeoutOf(step), cancellationToken));
        }
    }
}

internal sealed class AcceptDialogFactory : StepFactory<AcceptDialogStep>
{
    protected override CompiledStep Build(AcceptDialogStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(AcceptDialogStep step, string id) : CompiledStep(step, id)
    {
        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken) =>
            Outcomes.From(await context.Session.AcceptDialogAsync(cancellationToken));
    }
}

internal sealed class WaitFactory : StepFactory<WaitStep>
{
    protected override CompiledStep Build(WaitStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(WaitStep step, string id) : CompiledStep(step, id)
    {
        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken)
        {
            var time = context.Options.TimeProvider;
            var deadline = time.GetUtcNow() + context.TimeoutOf(step);
            while (true)
            {
                if (await context.ConditionAsync(step.Until, cancellationToken))
                {
                    return StepOutcome.Success;
                }
                if (time.GetUtcNow() >= deadline)
                {
                    return StepOutcome.Fail($"the condition did not hold within {context.TimeoutOf(step).TotalSeconds:0.#} s", UiFailure.Timeout);
                }
                await Task.Delay(context.Options.PollInterval, time, cancellationToken);
            }
        }
    }
}
