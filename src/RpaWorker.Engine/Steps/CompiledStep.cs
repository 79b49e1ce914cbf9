using RpaWorker.Engine.Running;
using RpaWorker.Playbooks;
using RpaWorker.Playbooks.Model;
using ExecutionContext = RpaWorker.Engine.Running.ExecutionContext;

namespace RpaWorker.Engine.Steps;

/// <summary>A step ready to run: built once from its definition by its kind's factory.</summary>
internal abstract class CompiledStep(StepDefinition definition, string id)
{
    public StepDefinition Definition { get; } = definition;

    /// <summary>The step's id, or kind#n by position.</summary>
    public string Id { get; } = id;

    /// <summary>Whether the step acts on or reads the screen (handlers are checked before such steps).</summary>
    public virtual bool TouchesScreen => true;

    /// <summary>Whether the step reads patient data (the wrong-patient guard runs before such steps).</summary>
    public virtual bool ReadsPatientData => false;

    public abstract Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken);
}

/// <summary>
/// One step kind: checks a definition at load (beyond what the language itself checks) and builds the runnable
/// step. Adding a step kind means one factory and one line in <see cref="StepFactories.All"/>.
/// </summary>
internal interface IStepFactory
{
    Type DefinitionType { get; }

    IEnumerable<PlaybookError> Validate(StepDefinition step, PlaybookDefinition playbook);

    CompiledStep Build(StepDefinition step, string id, StepCompiler compiler);
}

/// <summary>A factory for one definition type.</summary>
internal abstract class StepFactory<TDefinition> : IStepFactory where TDefinition : StepDefinition
{
    public Type DefinitionType => typeof(TDefinition);

    public IEnumerable<PlaybookError> Validate(StepDefinition step, PlaybookDefinition playbook) => Validate((TDefinition)step, playbook);

    public CompiledStep Build(StepDefinition step, string id, StepCompiler compiler) => Build((TDefinition)step, id, compiler);

    protected virtual IEnumerable<PlaybookError> Validate(TDefinition step, PlaybookDefinition playbook) => [];

    protected abstract CompiledStep Build(TDefinition step, string id, StepCompiler compiler);
}

internal static class StepFactories
{
    public static readonly IReadOnlyList<IStepFactory> All =
    [
        new GotoFactory(), new ClickFactory(), new FillFactory(), new SelectFactory(), new PressFactory(), new AcceptDialogFactory(), new ReloadFactory(),
        new WaitFactory(), new ExtractFactory(), new ExtractTableFactory(), new ForEachFactory(), new CallFactory(), new IfFactory(),
        new SetFactory(), new CheckpointFactory(), new FailFactory(), new LlmExtractFactory(),
    ];
}
