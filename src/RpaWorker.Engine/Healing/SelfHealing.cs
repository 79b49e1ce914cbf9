namespace RpaWorker.Engine.Healing;

/// <summary>How self-healing decides. The defaults suit screens of a few hundred elements.</summary>
public sealed record HealingOptions
{
    /// <summary>The lowest score (0 to 1) a candidate needs to be considered. Default 0.4.</summary>
    public double MinScore { get; init; } = 0.4;

    /// <summary>
    /// The lowest score a renamed column's new header needs. Default 0.3: a column is chosen among a table's few
    /// unclaimed headers, by the shape of its cells as much as by its name, and its cells must parse as the column says.
    /// </summary>
    public double ColumnMinScore { get; init; } = 0.3;

    /// <summary>
    /// The lowest <see cref="FingerprintScorer.Placement"/> (0 to 1) a value's candidate needs: how much it sits where
    /// the value was, its label aside. Default 0.35: a label alike in words alone (a guarantor's "D.O.B:" in another
    /// block of the screen) is not enough to read a value from, since what it yields parses as well as the right one.
    /// </summary>
    public double MinPlacement { get; init; } = 0.35;

    /// <summary>How far a value or table candidate must score above the next best to be used. Default 0.08.</summary>
    public double Margin { get; init; } = 0.08;

    /// <summary>
    /// Whether clicks are healed. Default true: a click is healed only when the next step's target then appears, and
    /// the candidates are tried best first, going back after each one that does not lead there.
    /// </summary>
    public bool Actions { get; init; } = true;

    /// <summary>
    /// The lowest score a control needs for a click heal to try it. Default 0.25: lower than for reads because a click is
    /// only kept when the next step's target then appears, which a wrong tab does not show.
    /// </summary>
    public double ActionMinScore { get; init; } = 0.25;

    /// <summary>How many candidates a click heal tries at most. Default 8.</summary>
    public int MaxActionTries { get; init; } = 8;

    /// <summary>
    /// How long a click heal waits for the next step's target to appear, and how long a candidate's value or table is
    /// given to read (a pixel screen is read only once it has stopped changing). Default 3 seconds.
    /// </summary>
    public TimeSpan VerifyTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Whether a read or table target the scorer cannot heal clearly (no candidate above <see cref="MinScore"/>, or the
    /// best one not ahead by <see cref="Margin"/>) is put to the AI tier (<see cref="Running.RunOptions.Assistant"/>), which
    /// chooses among the best candidates; its choice is verified like a deterministic heal and proposed the same way.
    /// Default true; nothing is asked without an assistant.
    /// </summary>
    public bool Ai { get; init; } = true;

    /// <summary>How many of the best-scoring candidates the AI tier chooses among. Default 8.</summary>
    public int AiCandidates { get; init; } = 8;

    /// <summary>Called for every heal used (found now or reused from the store). The event holds no screen values.</summary>
    public Action<HealEvent>? OnHeal { get; init; }
}

/// <summary>A heal that a run used. PHI-free: targets, labels and scores only.</summary>
/// <param name="Site">The step (path) whose target was healed.</param>
/// <param name="Target">What the playbook wrote.</param>
/// <param name="Replacement">What found it, e.g. <c>RightOf "D.O.B.:"</c> or <c>column "Pt Name"</c>.</param>
/// <param name="Score">The candidate's score.</param>
/// <param name="ProposalId">The proposal in the heal store.</param>
/// <param name="Found">True when this run found it; false when a stored proposal was reused.</param>
/// <param name="ByAi">True when the AI tier chose it (see <see cref="HealProposal.ChosenBy"/>).</param>
public sealed record HealEvent(string Site, string Target, string Replacement, double Score, string ProposalId, bool Found, bool ByAi = false)
{
    /// <inheritdoc />
    public override string ToString() => ProposalId.Length == 0
        ? $"at {Site}: {Target} {Replacement}"
        : $"{(Found ? "healed" : "reused heal")} {ProposalId} at {Site}: {Target} -> {Replacement}{(Found ? ByAi ? $" (chosen by the AI tier, score {Score:0.00})" : $" (score {Score:0.00})" : "")}";
}

/// <summary>
/// Self-healing for one run (<see cref="Running.RunOptions.Healing"/>): learns fingerprints of targets that resolve, and
/// when one stops resolving finds it again among the candidates on the screen, uses it only when it wins clearly and
/// passes verification, and writes it down as a proposed playbook change. Shared by the run's sessions.
/// </summary>
public sealed class SelfHealing(HealStore store, HealingOptions? options = null)
{
    private readonly Lock _gate = new();
    private readonly List<HealEvent> _events = [];
    private readonly HashSet<string> _targets = new(StringComparer.Ordinal);
    private int _missed;

    /// <summary>The store fingerprints and proposals are kept in.</summary>
    public HealStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>The options.</summary>
    public HealingOptions Options { get; } = options ?? new HealingOptions();

    /// <summary>Every heal this run used, in order.</summary>
    public IReadOnlyList<HealEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Distinct targets (as written) this run healed.</summary>
    public int HealedTargets
    {
        get
        {
            lock (_gate)
            {
                return _targets.Count;
            }
        }
    }

    /// <summary>New proposals this run wrote to the store.</summary>
    public int NewProposals
    {
        get
        {
            lock (_gate)
            {
                return _events.Where(e => e.Found).Select(e => e.ProposalId).Distinct().Count();
            }
        }
    }

    /// <summary>Targets that did not resolve and could not be healed (no clear candidate, or it failed verification).</summary>
    public int Missed => Volatile.Read(ref _missed);

    internal void Record(HealEvent heal)
    {
        lock (_gate)
        {
            // Reuses are counted per target, not per patient, so the event list stays the size of the playbook.
            if (!heal.Found && !_targets.Add(heal.Target))
            {
                return;
            }
            _targets.Add(heal.Target);
            _events.Add(heal);
        }
        Options.OnHeal?.Invoke(heal);
    }

    internal void Miss() => Interlocked.Increment(ref _missed);

    /// <summary>No healing, only what <c>ai:</c> targets need: their resolutions are kept for the run and nowhere else.</summary>
    internal static SelfHealing AiOnly() => new(HealStore.InMemory(), new HealingOptions
    {
        MinScore = double.MaxValue,
        ColumnMinScore = double.MaxValue,
        Actions = false,
        Ai = false,
    });
}
