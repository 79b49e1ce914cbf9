namespace RpaWorker.Ai;

/// <summary>
/// The AI tier, asked only when the deterministic tier has no clear answer. Every method returns a value
/// (<see cref="AiResult{T}"/>): an answer, or why there is none. Nothing here throws for an expected failure
/// (no provider, a spent budget, a provider error, a malformed or unverifiable answer); callers treat every
/// non-answer as the deterministic tier's own failure (for example "target not found").
/// </summary>
/// <remarks>
/// One instance serves one run: it holds that run's budget. Answers are checked against what was asked (the
/// chosen candidate exists and matches, the handler is one offered, quoted text is in the source) and against the
/// screen through the caller's hooks before they are returned, and cached by screen fingerprint so the same
/// question is not asked twice. Instances are safe to use from several tasks at once.
/// </remarks>
public interface IScreenAssistant
{
    /// <summary>
    /// Picks the candidate element that a target described in words means (a healed target, or an
    /// <c>ai:</c> locator).
    /// </summary>
    /// <param name="description">What the playbook says it wants, e.g. "the patient's date of birth in the banner".</param>
    /// <param name="candidates">The elements the driver could offer, in the driver's order; the answer is an index into it.</param>
    /// <param name="screen">Where the question is asked, with the screen's fingerprint and the optional verification hook.</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    /// <returns>
    /// The chosen index and the model's confidence; <see cref="AiStatus.Declined"/> when the model found none, was
    /// not sure enough, or the answer failed verification.
    /// </returns>
    Task<AiResult<ElementChoice>> ChooseElementAsync(string description, IReadOnlyList<CandidateElement> candidates, ScreenContext screen, CancellationToken cancellationToken);

    /// <summary>Says what kind of screen an unrecognised one is and which of the playbook's handlers fits it.</summary>
    /// <param name="outline">The screen's outline: title and elements.</param>
    /// <param name="handlerNames">The handlers the playbook has; the answer names one of them or none.</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    Task<AiResult<ScreenClassification>> ClassifyScreenAsync(ScreenOutline outline, IReadOnlyList<string> handlerNames, CancellationToken cancellationToken);

    /// <summary>
    /// Turns free text (a note, a comment cell) into structured items. Free text is PHI through and through: a
    /// provider not allowed to receive PHI is never sent it, and the result is <see cref="AiStatus.Declined"/>.
    /// </summary>
    /// <param name="text">The text as read from the screen.</param>
    /// <param name="spec">What to extract.</param>
    /// <param name="screen">Where the text was read (fingerprint for the cache, known PHI values).</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    /// <returns>Items whose every field value was quoted from <paramref name="text"/>; fields the model could not quote are dropped.</returns>
    Task<AiResult<ExtractionResult>> ExtractAsync(string text, ExtractionSpec spec, ScreenContext screen, CancellationToken cancellationToken);

    /// <summary>What this run has used so far.</summary>
    AiUsage Usage { get; }
}

/// <summary>Hands out one <see cref="IScreenAssistant"/> per run, each with its own budget.</summary>
public interface IScreenAssistantProvider
{
    /// <summary>True when a provider is configured; false means every question answers <see cref="AiStatus.Unavailable"/>.</summary>
    bool Enabled { get; }

    /// <summary>An assistant for the run <paramref name="runId"/>, with a fresh budget.</summary>
    /// <param name="runId">The run's id, for logs and metrics (never PHI).</param>
    IScreenAssistant BeginRun(string runId);
}
