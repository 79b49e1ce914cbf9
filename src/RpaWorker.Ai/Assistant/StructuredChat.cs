using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using RpaWorker.Ai.Masking;

namespace RpaWorker.Ai.Assistant;

/// <summary>
/// Questions a caller composes itself (the authoring loop asks for its next action), sent to the configured provider
/// with the tier's guarantees: one budget for the whole conversation (<c>Ai:Budget</c>), the time limit and retries, a
/// strict JSON-schema answer checked against the schema before it is returned, metrics and PHI-free logs. Answers are
/// never cached: each question describes a moment of an exploration.
/// </summary>
/// <remarks>
/// The caller builds the payload, so the caller masks it: <see cref="AllowPhi"/> says whether it may hold PHI, and
/// <see cref="Shape"/> and <see cref="Scrub"/> do the masking the tier's own questions do.
/// </remarks>
public sealed class StructuredChat : IDisposable
{
    private readonly AiTier _tier;
    private readonly ScreenAssistant _assistant;
    private readonly IDisposable _meters;

    private StructuredChat(AiTier tier, IDisposable meters)
    {
        _tier = tier;
        _meters = meters;
        _assistant = (ScreenAssistant)tier.BeginRun("author");
    }

    /// <summary>
    /// A chat with the provider <paramref name="options"/> configure, or over <paramref name="chat"/> when given (a
    /// scripted client in tests, or one the caller composed). With neither, <see cref="Enabled"/> is false.
    /// </summary>
    /// <exception cref="RpaWorkerException">The options name an unknown provider (see <see cref="Validate"/>).</exception>
    public static StructuredChat Create(AiOptions options, TimeProvider time, IChatClient? chat = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var meters = new OwnMeters();
        var tier = chat is null
            ? AiTier.Create(options, time, meters)
            : AiTier.Create(options, chat, options.Provider, time, meters);
        return new StructuredChat(tier, meters);
    }

    /// <summary>What is wrong with <paramref name="options"/>, each problem naming its key; empty when nothing is.</summary>
    public static IReadOnlyList<string> Validate(AiOptions options)
    {
        var result = new AiOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    /// <summary>True when a provider is configured (or a client was given).</summary>
    public bool Enabled => _tier.Enabled;

    /// <summary>Whether the provider may receive PHI (<c>Ai:AllowPhi</c>). When false the caller must mask what it sends.</summary>
    public bool AllowPhi => _tier.Options.AllowPhi;

    /// <summary>Calls, tokens and cost used so far.</summary>
    public AiUsage Usage => _assistant.Usage;

    /// <summary>
    /// Asks one question: <paramref name="instructions"/> as the system message, <paramref name="payload"/> as the user
    /// message, and an answer that must match <paramref name="schema"/> (a strict schema: every property required, no
    /// others). Returns the answer, or why there is none (<see cref="AiStatus.BudgetExhausted"/>,
    /// <see cref="AiStatus.ProviderFailed"/> for an HTTP failure, a time-out or an answer off the schema).
    /// </summary>
    /// <param name="operation">A short name for metrics and logs (e.g. <c>author</c>).</param>
    /// <param name="origin">What asked, for logs and reasons (never PHI).</param>
    /// <param name="instructions">The system message.</param>
    /// <param name="payload">The user message, already masked when <see cref="AllowPhi"/> is false.</param>
    /// <param name="schemaName">The schema's name as the provider sees it.</param>
    /// <param name="schema">The JSON schema of the answer.</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    public Task<AiResult<JsonElement>> AskAsync(string operation, string origin, string instructions, JsonObject payload, string schemaName, JsonObject schema, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(schema);
        var question = new Question(operation, origin, Fingerprint: "", instructions, payload, schemaName, schema, Cacheable: false);
        return _assistant.AskComposedAsync(question, cancellationToken);
    }

    /// <summary>The shape of a screen value (<c>&lt;date&gt;</c>, <c>&lt;name&gt;</c>, <c>&lt;number 7 digits&gt;</c>, <c>&lt;text&gt;</c>…), never what it says.</summary>
    public static string Shape(string? value) => PhiMasker.Shape(value);

    /// <summary>
    /// A screen text with the patient's data taken out: <paramref name="knownPhi"/> wherever it occurs, then dates,
    /// e-mail addresses, "LAST, FIRST" names and numbers of three digits or more. Screen wording stays.
    /// </summary>
    public static string Scrub(string? text, IReadOnlyList<string> knownPhi) => PhiMasker.Scrub(text, knownPhi);

    /// <inheritdoc />
    public void Dispose()
    {
        _tier.Dispose();
        _meters.Dispose();
    }

    /// <summary>The tier's metrics need a meter factory; a caller outside a host has none to give.</summary>
    private sealed class OwnMeters : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            lock (_meters)
            {
                _meters.Add(meter);
            }
            return meter;
        }

        public void Dispose()
        {
            lock (_meters)
            {
                _meters.ForEach(m => m.Dispose());
            }
        }
    }
}
