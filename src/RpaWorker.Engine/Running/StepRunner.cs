using RpaWorker.Engine.Steps;
using RpaWorker.Engine.Templates;

namespace RpaWorker.Engine.Running;

/// <summary>
/// Runs steps in order with the run's policies: handlers for screens that can appear at any time (checked before
/// each step that touches the screen and again when a step fails), the wrong-patient guard before reading,
/// retries with backoff for transient failures, and optional steps.
/// </summary>
internal static class StepRunner
{
    public static async Task<StepOutcome> RunStepsAsync(IReadOnlyList<CompiledStep> steps, ExecutionContext context, CancellationToken cancellationToken)
    {
        foreach (var step in steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var outcome = await RunStepAsync(step, context, cancellationToken);
            context.Options.OnStepFinished?.Invoke(step.Id, outcome.Status, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            if (!outcome.Ok)
            {
                return outcome with { StepId = outcome.StepId ?? step.Id, Location = outcome.Location ?? step.Definition.Location };
            }
        }
        return StepOutcome.Success;
    }

    /// <summary>The control a click or key press acts on, or null for other steps.</summary>
    private static Playbooks.Model.TargetDefinition? ActedOn(CompiledStep step) => step.Definition switch
    {
        Playbooks.Model.ClickStep click => click.Target,
        Playbooks.Model.PressStep { Target: { } pressed } => pressed,
        _ => null,
    };

    private static async Task<StepOutcome> RunStepAsync(CompiledStep step, ExecutionContext context, CancellationToken cancellationToken)
    {
        var retry = step.Definition.Retry;
        var attempts = retry?.Attempts ?? context.Options.DefaultAttempts;
        var backoff = retry?.Backoff ?? context.Options.DefaultBackoff;
        var attempt = 0;
        var triaged = false;
        while (true)
        {
            if (step.TouchesScreen)
            {
                var (_, handlerFailure) = await context.RunHandlersAsync(cancellationToken);
                if (handlerFailure is not null)
                {
                    return handlerFailure;
                }
            }
            if (step.ReadsPatientData && await context.CheckBannerAsync(cancellationToken) is { } wrongPatient)
            {
                // A handler (an expired session, a popup) may stand between us and the banner: let it run once more.
                var (handled, failure) = await context.RunHandlersAsync(cancellationToken);
                if (failure is not null || handled is null || await context.CheckBannerAsync(cancellationToken) is not null)
                {
                    return failure ?? wrongPatient;
                }
            }

            StepOutcome outcome;
            try
            {
                outcome = await step.RunAsync(context, cancellationToken);
            }
            catch (TemplateException ex)
            {
                return StepOutcome.Fail(ex.Message);
            }
            if (outcome.Ok)
            {
                return outcome;
            }
            if (outcome.StepId is not null)
            {
                // A nested step (in a sub-flow, loop or branch) failed and already went through these policies.
                return outcome;
            }

            // Something on the screen may explain the failure (a popup over the button, an expired session):
            // if a handler deals with it, the step runs again without counting as an attempt. A server error is
            // different: the action already happened, so it goes to the retry below, which knows not to repeat it.
            if (step.TouchesScreen && !context.InHandler && outcome.Failure is not Ui.UiFailure.ServerError)
            {
                var (handled, handlerFailure) = await context.RunHandlersAsync(cancellationToken);
                if (handlerFailure is not null)
                {
                    return handlerFailure;
                }
                if (handled is null && !triaged && !step.Definition.Optional && outcome.Failure is Ui.UiFailure.NotFound or Ui.UiFailure.Timeout)
                {
                    // No handler recognised the screen: the AI tier may (once per step), naming the handler to run. Its
                    // answer is only as good as the handler's steps working on this screen and the step then passing.
                    triaged = true;
                    (handled, handlerFailure) = await context.TriageAsync(step.Id, cancellationToken);
                    if (handlerFailure is not null)
                    {
                        return outcome with { Reason = $"{outcome.Reason} (the AI tier took the screen for handler '{handled}', which failed: {handlerFailure.Reason})" };
                    }
                }
                if (handled is not null)
                {
                    var handler = context.Playbook.Handlers.First(h => h.Definition.Name == handled).Definition;
                    if (handler.RetryStep)
                    {
                        continue;
                    }
                    return StepOutcome.Success;
                }
            }
            if (outcome.Failure is Ui.UiFailure.NotFound && step.Definition.Optional)
            {
                return new StepOutcome(StepStatus.Skipped, outcome.Reason);
            }
            // A click that timed out or lost its page may still have happened (a slow navigation): when its control is
            // gone from the screen, do not click again on whatever is there now.
            if (outcome.Failure is Ui.UiFailure.Timeout or Ui.UiFailure.Disconnected && ActedOn(step) is { } target &&
                !await context.Session.IsVisibleAsync(context.Target(target, step.Id), cancellationToken))
            {
                return StepOutcome.Success;
            }
            attempt++;
            // A wait that timed out has already waited its whole timeout: retrying it would only multiply that.
            if (!outcome.Transient || outcome.Partial || attempt >= attempts || step.Definition is Playbooks.Model.WaitStep)
            {
                return attempt > 1 ? outcome with { Reason = $"{outcome.Reason} (after {attempt} attempts)" } : outcome;
            }
            await Task.Delay(backoff * Math.Pow(2, attempt - 1), context.Options.TimeProvider, cancellationToken);
            if (outcome.Failure is Ui.UiFailure.ServerError && context.Session.Location.Length > 0 && step.Definition is not Playbooks.Model.GotoStep)
            {
                // An error page is where the last action led: load that address again. When the clicked control is
                // no longer on screen, the reload has taken us where the click was going; otherwise click again.
                var reload = await context.Session.NavigateAsync(context.Session.Location, context.TimeoutOf(step.Definition), cancellationToken);
                while (!reload.Ok && reload.Failure is Ui.UiFailure.ServerError && ++attempt < attempts)
                {
                    await Task.Delay(backoff * Math.Pow(2, attempt - 1), context.Options.TimeProvider, cancellationToken);
                    reload = await context.Session.NavigateAsync(context.Session.Location, context.TimeoutOf(step.Definition), cancellationToken);
                }
                if (!reload.Ok)
                {
                    return StepOutcome.Fail($"{outcome.Reason}; reloading the page failed too ({reload.Reason})", reload.Failure);
                }
                if (ActedOn(step) is { } acted)
                {
                    // When the control is gone, the reload has taken us where the action was going (a link). When it
                    // is still there (a form's submit), clicking it again would post an empty form: hand the failure
                    // up, so a sub-flow with a retry policy starts again from filling the form.
                    return await context.Session.IsVisibleAsync(context.Target(acted, step.Id), cancellationToken) ? outcome : StepOutcome.Success;
                }
            }
        }
    }
}
