using System.Security.Cryptography;
using System.Text;
using RpaWorker.Ai;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Healing;

// The AI tier where targets resolve: an `ai:` target is chosen among the screen's candidates by the model, and a read or
// table target the scorer cannot heal clearly is put to the model among its best candidates. Either way the choice is
// tried on the screen and kept only when it passes the checks a deterministic heal passes, then written down as a heal
// proposal (marked as the AI tier's), which later patients and runs reuse without asking again.
internal sealed partial class HealingSession
{
    /// <summary>How many candidates an <c>ai:</c> target offers the model at most (a screen can list hundreds).</summary>
    private const int MaxAiCandidates = 60;

    /// <summary>The run's assistant; null when no AI provider is configured.</summary>
    public IScreenAssistant? Assistant { get; set; }

    /// <summary>Values known to be PHI now (the work item's), scrubbed from what a provider not allowed PHI receives.</summary>
    public Func<IReadOnlyList<string>>? KnownPhi { get; set; }

    /// <summary>What one candidate yields when the step is run against it, or null when it does not pass the step's checks.</summary>
    private delegate Task<UiResult<T>?> Attempt<T>(HealSite site, UiTarget target, UiCandidate candidate, CancellationToken cancellationToken);

    private static bool HasAi(UiTarget target) => target.Locators.Any(l => l.Kind == LocatorKind.Ai);

    /// <summary>
    /// Runs an operation on a target with an <c>ai:</c> alternative: a heal in force and the written alternatives first,
    /// then, where the step is of the kind the target is written for, the AI tier's choice among the screen's candidates.
    /// </summary>
    private async Task<UiResult<T>> AiTargetAsync<T>(UiTarget target, UiElementKind kind, Func<UiTarget, Task<UiResult<T>>> act, Attempt<T> attempt,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (effective, site, heal) = Prepare(target);
        var written = effective.Locators.Where(l => l.Kind != LocatorKind.Ai).ToList();
        UiResult<T>? first = null;
        if (written.Count > 0)
        {
            var concrete = new UiTarget(written, effective.Description);
            if (site is not null)
            {
                _attached.AddOrUpdate(concrete, site);
            }
            var result = await act(concrete);
            Reused(site, heal, result.Ok, result.Locator);
            if (result.Ok || result.Failure is not UiFailure.NotFound)
            {
                return result with { Locator = null };
            }
            first = result;
        }
        if (site is null || site.Kind != kind)
        {
            // A target written with templates (its words could hold patient data), or a look at it by another kind of
            // step (the read-only guard reading a control before the click): nothing is asked.
            return first ?? UiResult<T>.Fail(UiFailure.NotFound, $"target not found: {effective.Description}: " +
                (site is null ? "an ai: target written with templates is not resolved" : "it is resolved by the step it is written for"));
        }
        var candidates = await ScreenCandidatesAsync(site, effective, timeout, cancellationToken);
        var pick = await ChooseAsync(site, target, effective.Locators.First(l => l.Kind == LocatorKind.Ai).Value, candidates, attempt, cancellationToken);
        if (pick.Result is { } chosen)
        {
            Found(site, pick.Candidate!.Locator, null, pick.Confidence, 0, byAi: true);
            return chosen with { Locator = null };
        }
        return UiResult<T>.Fail(UiFailure.NotFound, $"target not found: {effective.Description}: the AI tier gave no answer ({pick.Reason})");
    }

    /// <summary>
    /// The self-healing fallback: the scorer found candidates but no clear winner. The AI tier chooses among the best
    /// of them; its choice is kept only when <paramref name="attempt"/> passes. Null when the tier is off or gave no
    /// usable answer (the miss is then counted as the scorer's).
    /// </summary>
    private async Task<UiResult<T>?> AiHealAsync<T>(HealSite site, UiTarget target, List<(UiCandidate Candidate, double Score)> contested, Attempt<T> attempt,
        CancellationToken cancellationToken)
    {
        var deterministic = contested.Count == 0 ? "no candidate"
            : $"no candidate wins clearly (best {contested[0].Score:0.00}, next {(contested.Count > 1 ? contested[1].Score : 0):0.00})";
        if (contested.Count == 0 || Assistant is null || !Options.Ai)
        {
            Missed(site, deterministic);
            return null;
        }
        var best = contested.Take(Options.AiCandidates).ToList();
        var known = Store.Fingerprint(_key, site.Path) ?? _sites.Values.Where(s => s.Written == site.Written)
            .Select(s => Store.Fingerprint(_key, s.Path)).FirstOrDefault(f => f is not null);
        var pick = await ChooseAsync(site, target, HealDescription(site, known), [.. best.Select(b => b.Candidate)], attempt, cancellationToken);
        if (pick.Result is not { } chosen)
        {
            Missed(site, $"{deterministic}; the AI tier gave no answer ({pick.Reason})");
            return null;
        }
        var score = best.First(b => b.Candidate == pick.Candidate).Score;
        Found(site, pick.Candidate!.Locator, null, score, best.Where(b => b.Candidate != pick.Candidate).Select(b => b.Score).DefaultIfEmpty(0).Max(), byAi: true);
        return chosen with { Locator = null };
    }

    private sealed record Pick<T>(UiCandidate? Candidate, UiResult<T>? Result, double Confidence, string Reason);

    /// <summary>Asks the model to choose; the choice is tried on the screen (for fresh and cached answers alike) before it is used.</summary>
    private async Task<Pick<T>> ChooseAsync<T>(HealSite site, UiTarget target, string description, IReadOnlyList<UiCandidate> candidates, Attempt<T> attempt,
        CancellationToken cancellationToken)
    {
        if (Assistant is not { } assistant)
        {
            return new Pick<T>(null, null, 0, "no AI provider is configured: set the Ai settings, see docs/llm.md");
        }
        if (candidates.Count == 0)
        {
            return new Pick<T>(null, null, 0, $"the screen offers no candidate elements for {site.Path}");
        }
        UiCandidate? tried = null;
        UiResult<T>? result = null;
        var screen = new ScreenContext
        {
            Fingerprint = ScreenPrint(site.Kind, candidates),
            Origin = site.Path,
            KnownPhi = KnownPhi?.Invoke() ?? [],
            VerifyChoice = async (choice, ct) =>
            {
                tried = candidates[choice.Index];
                result = await attempt(site, target, tried, ct);
                return result is not null;
            },
        };
        var elements = await ElementsAsync(candidates, cancellationToken);
        var answer = await assistant.ChooseElementAsync(description, elements, screen, cancellationToken);
        return answer.Ok && result is not null && tried == candidates[answer.Value!.Index]
            ? new Pick<T>(tried, result, answer.Value.Confidence, "")
            : new Pick<T>(null, null, 0, answer.Reason ?? $"the answer for {site.Path} could not be used");
    }

    /// <summary>The screen's candidates of the site's kind, waiting for some to show up to the step's timeout; rejected ones and ones no heal may click left out.</summary>
    private async Task<List<UiCandidate>> ScreenCandidatesAsync(HealSite site, UiTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var found = (await inner.CandidatesAsync(site.Kind, target.Locators[0], cancellationToken))
                .Where(c => !Store.WasRejected(playbook.Id, playbook.Version, site.Written, c.Locator, null))
                .Where(c => site.Kind != UiElementKind.Control || Clickable(c))
                .Take(MaxAiCandidates)
                .ToList();
            if (found.Count > 0 || time.GetUtcNow() >= deadline)
            {
                return found;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    /// <summary>Never a control the read-only guard protects, nor one that ends the session.</summary>
    private bool Clickable(UiCandidate candidate)
    {
        var name = candidate.Locator.Name ?? candidate.Locator.Value;
        return playbook.Guards.FindProtectedWord(name) is null && playbook.Guards.FindProtectedWord(candidate.Fingerprint.Label) is null
               && !LeavesSession().IsMatch(name);
    }

    /// <summary>
    /// The candidates as the model sees them: structure from the fingerprint and, for values, what the element shows
    /// (PHI: the assistant sends only its shape to a provider not allowed to receive PHI).
    /// </summary>
    private async Task<List<CandidateElement>> ElementsAsync(IReadOnlyList<UiCandidate> candidates, CancellationToken cancellationToken)
    {
        var elements = new List<CandidateElement>(candidates.Count);
        foreach (var candidate in candidates)
        {
            var print = candidate.Fingerprint;
            string? value = null;
            if (print.Kind is UiElementKind.Value or UiElementKind.Field)
            {
                var read = await inner.ReadTextAsync(UiTarget.Of(candidate.Locator), Options.VerifyTimeout, cancellationToken);
                value = read.Ok ? read.Value : null;
            }
            elements.Add(new CandidateElement
            {
                Role = print.Role.Length > 0 ? print.Role : print.Kind.ToString().ToLowerInvariant(),
                Name = candidate.Locator.Name,
                Label = print.Label.Length > 0 ? print.Label : null,
                NearbyText = print.Nearby.Count + print.Headers.Count > 0 ? string.Join(" | ", print.Nearby.Concat(print.Headers)) : null,
                Attributes = print.Attributes,
                Value = value,
            });
        }
        return elements;
    }

    /// <summary>
    /// Asks the AI tier what the current screen is and which of the handlers deals with it, from the screen's controls
    /// and fields (structure; values go as shapes to a provider not allowed PHI).
    /// </summary>
    public async Task<AiResult<ScreenClassification>> ClassifyAsync(IReadOnlyList<string> handlers, string origin, CancellationToken cancellationToken)
    {
        if (Assistant is not { } assistant)
        {
            return AiResult<ScreenClassification>.Failed(AiStatus.Unavailable, "no AI provider is configured");
        }
        var like = new UiLocator(LocatorKind.Ai, "the screen");
        var candidates = (await inner.CandidatesAsync(UiElementKind.Control, like, cancellationToken))
            .Concat(await inner.CandidatesAsync(UiElementKind.Field, like, cancellationToken))
            .Take(MaxAiCandidates)
            .ToList();
        var outline = new ScreenOutline
        {
            Fingerprint = ScreenPrint(UiElementKind.Control, candidates),
            Elements = await ElementsAsync(candidates, cancellationToken),
            KnownPhi = KnownPhi?.Invoke() ?? [],
            Origin = origin,
        };
        return await assistant.ClassifyScreenAsync(outline, handlers, cancellationToken);
    }

    /// <summary>What the playbook meant by a target that no longer resolves, in words: how it was written and what it was.</summary>
    private static string HealDescription(HealSite site, UiFingerprint? known)
    {
        var what = site.Field is { } field ? $"the value of the field '{field.Name}'"
            : site.Table is not null ? $"the table with the columns {string.Join(", ", site.Table.Columns.Select(c => $"'{c.Header}'"))}"
            : "the element";
        var text = new StringBuilder($"{what} that the playbook found by {site.Written} (step {site.Path}), which no longer finds it.");
        if (known is not null)
        {
            text.Append($" Before the screen changed it was a {(known.Role.Length > 0 ? known.Role : known.Kind.ToString().ToLowerInvariant())}");
            if (known.Label.Length > 0)
            {
                text.Append($" labelled \"{known.Label}\"");
            }
            if (known.Nearby.Count > 0)
            {
                text.Append($", near {string.Join(", ", known.Nearby.Take(6).Select(n => $"\"{n}\""))}");
            }
            if (known.Headers.Count > 0)
            {
                text.Append($", with the headers {string.Join(", ", known.Headers.Select(h => $"\"{h}\""))}");
            }
            text.Append('.');
        }
        return text.ToString();
    }

    /// <summary>
    /// The screen's structure as the candidates show it (roles, labels, places; never values) and its address without
    /// numbers: the same screen for the next patient is the same question, answered from the cache.
    /// </summary>
    private string ScreenPrint(UiElementKind kind, IReadOnlyList<UiCandidate> candidates)
    {
        var text = new StringBuilder(ScreenOf(inner.Location)).Append('\n').Append(kind);
        foreach (var candidate in candidates)
        {
            text.Append('\n').Append(candidate.Fingerprint.Role).Append('|').Append(candidate.Fingerprint.Label).Append('|').Append(candidate.Fingerprint.Path);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }
}
