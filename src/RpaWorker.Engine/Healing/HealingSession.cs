using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using RpaWorker.Engine.Parsing;
using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Healing;

/// <summary>
/// The session a run works through when self-healing is on. It sits where targets resolve: every operation first uses
/// a heal in force for its target (tried before the written locators), a target that resolves has its fingerprint
/// learnt (once per run), and a read, table read or click whose target is not found is healed when a candidate wins
/// clearly and passes verification. Everything else goes straight to the driver's session.
/// </summary>
internal sealed partial class HealingSession(IUiSession inner, SelfHealing healing, PlaybookDefinition playbook, TimeProvider time) : IUiSession
{
    private readonly Dictionary<TargetDefinition, HealSite> _sites = HealSites.Of(playbook);
    private readonly ConditionalWeakTable<UiTarget, HealSite> _attached = [];
    private readonly HashSet<string> _learnt = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tried = new(StringComparer.Ordinal);
    // How often a click heal that found nothing may be tried again on later patients in a run.
    private const int ClickRetries = 2;
    private readonly Dictionary<string, int> _clickRetries = new(StringComparer.Ordinal);
    private readonly string _key = HealStore.Key(playbook.Id, playbook.Version);

    private HealStore Store => healing.Store;

    private HealingOptions Options => healing.Options;

    /// <summary>Renders a target definition in the run's current scope (for the next step's target of a click).</summary>
    public Func<TargetDefinition, string, UiTarget>? Render { get; set; }

    public string Location => inner.Location;

    public UiDialog? OpenDialog => inner.OpenDialog;

    /// <summary>Remembers which playbook target a rendered target came from.</summary>
    public void Attach(UiTarget target, TargetDefinition definition)
    {
        if (_sites.TryGetValue(definition, out var site))
        {
            _attached.AddOrUpdate(target, site);
        }
    }

    public Task<UiResult<Done>> NavigateAsync(string address, TimeSpan timeout, CancellationToken cancellationToken) =>
        inner.NavigateAsync(address, timeout, cancellationToken);

    public async Task<UiResult<Done>> ClickAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (HasAi(target))
        {
            return await AiTargetAsync(target, UiElementKind.Control, t => inner.ClickAsync(t, timeout, cancellationToken),
                (site, written, candidate, ct) => ClickLeadsOnAsync(site, written, candidate, timeout, ct), timeout, cancellationToken);
        }
        var (effective, site, heal) = Prepare(target);
        if (site is { Role: HealRole.Action } && heal is null && !_learnt.Contains(site.Path))
        {
            // A control's fingerprint has to be taken before the click takes it off the screen.
            await LearnAsync(site, effective, null, cancellationToken);
        }
        var result = await inner.ClickAsync(effective, timeout, cancellationToken);
        Reused(site, heal, result.Ok, result.Locator);
        if (result.Ok || site is not { Role: HealRole.Action } || heal is not null || result.Failure is not UiFailure.NotFound || !Options.Actions)
        {
            return Shift(result, heal);
        }
        return await HealClickAsync(site, target, timeout, cancellationToken) ?? result;
    }

    public Task<UiResult<Done>> FillAsync(UiTarget target, string value, TimeSpan timeout, CancellationToken cancellationToken) =>
        PassAsync(target, t => inner.FillAsync(t, value, timeout, cancellationToken), timeout, cancellationToken);

    public Task<UiResult<Done>> SelectAsync(UiTarget target, string option, TimeSpan timeout, CancellationToken cancellationToken) =>
        PassAsync(target, t => inner.SelectAsync(t, option, timeout, cancellationToken), timeout, cancellationToken);

    public Task<UiResult<Done>> PressAsync(string key, UiTarget? target, TimeSpan timeout, CancellationToken cancellationToken) =>
        target is null ? inner.PressAsync(key, null, timeout, cancellationToken) : PassAsync(target, t => inner.PressAsync(key, t, timeout, cancellationToken), timeout, cancellationToken);

    public Task<UiResult<string>> ReadTextAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        ReadAsync(target, t => inner.ReadTextAsync(t, timeout, cancellationToken), text => text, timeout, cancellationToken);

    public Task<UiResult<UiReading>> ReadCheckedAsync(UiTarget target, UiValueCheck check, TimeSpan timeout, CancellationToken cancellationToken) =>
        ReadAsync(target, t => inner.ReadCheckedAsync(t, check, timeout, cancellationToken), reading => reading.NeedsReview ? null : reading.Text, timeout, cancellationToken);

    public Task<UiResult<UiTable>> ReadTableAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        TableAsync(target, t => inner.ReadTableAsync(t, timeout, cancellationToken), table => table, (_, renamed) => renamed, timeout, cancellationToken);

    public Task<UiResult<UiCheckedTable>> ReadCheckedTableAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        TableAsync(target, t => inner.ReadCheckedTableAsync(t, timeout, cancellationToken), table => table.Table,
            (table, renamed) => table with { Table = renamed }, timeout, cancellationToken);

    public async Task<bool> IsVisibleAsync(UiTarget target, CancellationToken cancellationToken)
    {
        var (effective, site, heal) = Prepare(target);
        if (HasAi(effective))
        {
            // A wait or condition looks many times a second: an ai: target is visible once a step has resolved it on
            // this screen (its heal is then tried first), and is never put to the AI tier from here.
            var written = effective.Locators.Where(l => l.Kind != LocatorKind.Ai).ToList();
            return written.Count > 0 && await inner.IsVisibleAsync(new UiTarget(written, effective.Description), cancellationToken);
        }
        var visible = await inner.IsVisibleAsync(effective, cancellationToken);
        if (visible || site is not { AwaitsValue: true } || heal is not null)
        {
            return visible;
        }
        if (_sites.Values.FirstOrDefault(s => s.Written == site.Written && s.Role == HealRole.Read) is not { } read
            || await BestAsync(read, target, cancellationToken) is not var (candidate, score, runnerUp))
        {
            return false;
        }
        var healed = await inner.ReadTextAsync(Healed(read, target, candidate.Locator), Options.VerifyTimeout, cancellationToken);
        if (!healed.Ok || !Verified(read, healed.Value))
        {
            Missed(read, "the best candidate's value does not pass the field's checks");
            return false;
        }
        Found(read, candidate.Locator, null, score, runnerUp);
        return true;
    }

    public Task<bool> ShowsTextAsync(string text, CancellationToken cancellationToken) => inner.ShowsTextAsync(text, cancellationToken);

    public Task<UiResult<Done>> AcceptDialogAsync(CancellationToken cancellationToken) => inner.AcceptDialogAsync(cancellationToken);

    public Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken) => inner.ScreenshotAsync(cancellationToken);

    // Without this the interface's default answers for the driver: "cannot capture", even where the driver can.
    public Task<UiResult<byte[]>> CaptureAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        PassAsync(target, t => inner.CaptureAsync(t, timeout, cancellationToken), timeout, cancellationToken);

    public Task SaveTraceAsync(string? path, CancellationToken cancellationToken) => inner.SaveTraceAsync(path, cancellationToken);

    public Task<UiFingerprint?> FingerprintAsync(UiTarget target, CancellationToken cancellationToken) => inner.FingerprintAsync(target, cancellationToken);

    public Task<IReadOnlyList<UiCandidate>> CandidatesAsync(UiElementKind kind, UiLocator like, CancellationToken cancellationToken) =>
        inner.CandidatesAsync(kind, like, cancellationToken);

    // The run owns the driver's session and disposes of it; this wrapper holds nothing of its own.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The target with the heal in force for it (if any) tried first, its site, and that heal.</summary>
    private (UiTarget Effective, HealSite? Site, HealProposal? Heal) Prepare(UiTarget target)
    {
        if (!_attached.TryGetValue(target, out var site))
        {
            return (target, null, null);
        }
        if (Store.Active(playbook.Id, playbook.Version, site.Written) is not { Locator: { } locator } heal)
        {
            return (target, site, null);
        }
        var effective = new UiTarget([locator, .. target.Locators], target.Description);
        _attached.AddOrUpdate(effective, site);
        return (effective, site, heal);
    }

    /// <summary>Locator indexes as the caller wrote them: the heal's own locator is not one of theirs.</summary>
    private static UiResult<T> Shift<T>(UiResult<T> result, HealProposal? heal) =>
        heal is null || result.Locator is null ? result : result with { Locator = result.Locator == 0 ? null : result.Locator - 1 };

    private void Reused(HealSite? site, HealProposal? heal, bool ok, int? locator)
    {
        if (site is not null && heal is not null && ok && locator == 0)
        {
            Store.Used(heal.Id);
            healing.Record(new HealEvent(site.Path, site.Written, Describe(heal), heal.Score, heal.Id, Found: false));
        }
    }

    private async Task<UiResult<T>> PassAsync<T>(UiTarget target, Func<UiTarget, Task<UiResult<T>>> act, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (HasAi(target))
        {
            // A field has nothing to check it by but the action itself succeeding on it.
            return await AiTargetAsync(target, UiElementKind.Field, act,
                async (site, written, candidate, _) => await act(Healed(site, written, candidate.Locator)) is { Ok: true } done ? done : null, timeout, cancellationToken);
        }
        var (effective, site, heal) = Prepare(target);
        var result = await act(effective);
        Reused(site, heal, result.Ok, result.Locator);
        return Shift(result, heal);
    }

    private async Task<UiResult<T>> ReadAsync<T>(UiTarget target, Func<UiTarget, Task<UiResult<T>>> read, Func<T, string?> text, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        // A value is right when it is there and parses as the field says.
        Attempt<T> attempt = async (site, written, candidate, _) =>
            await read(Healed(site, written, candidate.Locator)) is { Ok: true } healed && Verified(site, text(healed.Value!)) ? healed : null;
        if (HasAi(target))
        {
            return await AiTargetAsync(target, UiElementKind.Value, read, attempt, timeout, cancellationToken);
        }
        var (effective, site, heal) = Prepare(target);
        var result = await read(effective);
        Reused(site, heal, result.Ok, result.Locator);
        // Only a value that passes the field's checks teaches the fingerprint: one read off the wrong element must not.
        if (result.Ok && site is { Role: HealRole.Read } && (heal is null || result.Locator != 0) && !_learnt.Contains(site.Path)
            && Verified(site, text(result.Value!)))
        {
            await LearnAsync(site, effective, null, cancellationToken);
        }
        // A written target that still finds something can find the wrong thing after an upgrade ("Patient:" now only in
        // a "Patient Search" link): a value that is there but does not parse as the field says is healed like a miss.
        var drifted = result.Ok && site is { Role: HealRole.Read, Field.Parse.Count: > 0 } && heal is null
                      && text(result.Value!) is { Length: > 0 } shown && !Verified(site, shown);
        // So is a label that now names several places ("Patient:" inside a "Patient Search" button and a heading): the
        // candidate that scores as the label did, clearly, sits where it was and yields a value that passes the checks
        // is the one meant. (A click that matches several is not healed: which of several rows or links to open is not
        // a question a fingerprint should answer.)
        if (!drifted && (result.Ok || site is not { Role: HealRole.Read } || heal is not null || result.Failure is not (UiFailure.NotFound or UiFailure.Ambiguous)))
        {
            return Shift(result, heal);
        }
        var contested = new List<(UiCandidate Candidate, double Score)>();
        if (await BestAsync(site!, target, cancellationToken, contested: contested) is not var (candidate, score, runnerUp))
        {
            return contested.Count == 0 ? result : await AiHealAsync(site!, target, contested, attempt, cancellationToken) ?? result;
        }
        var healed = await read(Healed(site!, target, candidate.Locator));
        if (healed.Ok && string.IsNullOrWhiteSpace(text(healed.Value!)))
        {
            // This patient has no value there: that proves nothing either way, so the next patient may try again.
            _tried.Remove(ScreenKey(site!));
            return result;
        }
        if (!healed.Ok || !Verified(site!, text(healed.Value!)))
        {
            Missed(site!, "the best candidate's value does not pass the field's checks");
            return result;
        }
        Found(site!, candidate.Locator, null, score, runnerUp);
        return healed with { Locator = null };
    }

    private async Task<UiResult<T>> TableAsync<T>(UiTarget target, Func<UiTarget, Task<UiResult<T>>> read, Func<T, UiTable> tableOf,
        Func<T, UiTable, T> withTable, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A table is right when it has every column the step reads (renamed ones healed).
        Attempt<T> attempt = async (site, written, candidate, _) =>
            await read(Healed(site, written, candidate.Locator)) is { Ok: true } healed && Columns(site, tableOf(healed.Value!)) is { } columns
                ? healed with { Value = withTable(healed.Value!, columns) }
                : null;
        if (HasAi(target))
        {
            return await AiTargetAsync(target, UiElementKind.Table, read, attempt, timeout, cancellationToken);
        }
        var (effective, site, heal) = Prepare(target);
        var result = await read(effective);
        Reused(site, heal, result.Ok, result.Locator);
        if (result.Ok)
        {
            if (site is not { Role: HealRole.Table })
            {
                return Shift(result, heal);
            }
            if ((heal is null || result.Locator != 0) && !_learnt.Contains(site.Path))
            {
                await LearnAsync(site, effective, tableOf(result.Value!), cancellationToken);
            }
            return Shift(Columns(site, tableOf(result.Value!)) is { } renamed ? result with { Value = withTable(result.Value!, renamed) } : result, heal);
        }
        if (site is not { Role: HealRole.Table } || heal is not null || result.Failure is not UiFailure.NotFound)
        {
            return Shift(result, heal);
        }
        var contested = new List<(UiCandidate Candidate, double Score)>();
        if (await BestAsync(site, target, cancellationToken, contested: contested) is not var (candidate, score, runnerUp))
        {
            return contested.Count == 0 ? result : await AiHealAsync(site, target, contested, attempt, cancellationToken) ?? result;
        }
        var healed = await read(Healed(site, target, candidate.Locator));
        if (!healed.Ok || Columns(site, tableOf(healed.Value!)) is not { } columns)
        {
            Missed(site, "the best candidate table does not have the columns the step reads");
            return result;
        }
        Found(site, candidate.Locator, null, score, runnerUp);
        return healed with { Value = withTable(healed.Value!, columns), Locator = null };
    }

    private async Task<UiResult<Done>?> HealClickAsync(HealSite site, UiTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var before = inner.Location;
        async Task<bool> LeadsOnAsync(UiLocator locator)
        {
            var click = await inner.ClickAsync(Healed(site, target, locator), timeout, cancellationToken);
            if (click.Ok && await NextAppearsAsync(site, cancellationToken))
            {
                return true;
            }
            if (click.Ok && inner.Location != before)
            {
                await inner.NavigateAsync(before, timeout, cancellationToken);
            }
            return false;
        }
        // A cell clicked under a column header that a heal in force renamed (below "Name", the list's column "Name" now
        // "Pt Name") is looked for under the new header: the column heal has checked that header's cells.
        if (RenamedHeader(site, target) is var (renamed, renamedScore) && await LeadsOnAsync(renamed))
        {
            Found(site, renamed, null, renamedScore, 0);
            return UiResult<Done>.Success(Done.Value);
        }
        var ranked = await RankAsync(site, target, cancellationToken);
        if (ranked is null)
        {
            return null;
        }
        var tries = ranked.Where(r => r.Score >= Options.ActionMinScore).Take(Options.MaxActionTries).ToList();
        if (ranked.Count > 0 && (site.NextText is not null || site.NextIsClick) && await NextShownAsync(site, cancellationToken))
        {
            // A text or a control the next step looks for is there before any click (a search's result count over the
            // list it refreshes, the button that opens a selected row), so its appearing proves less: only a
            // candidate that wins clearly on its fingerprint is clicked.
            var (best, runnerUp) = (ranked[0].Score, ranked.Count > 1 ? ranked[1].Score : 0);
            if (best < Options.MinScore || best - runnerUp < Options.Margin)
            {
                Missed(site, $"what the next step looks for is on the screen before the click, and no candidate wins clearly (best {best:0.00}, next {runnerUp:0.00})");
                return null;
            }
            tries = [ranked[0]];
        }
        foreach (var (candidate, score) in tries)
        {
            var name = candidate.Locator.Name ?? candidate.Locator.Value;
            // Never a control the read-only guard protects, nor one that ends the session.
            if (playbook.Guards.FindProtectedWord(name) is not null || LeavesSession().IsMatch(name))
            {
                continue;
            }
            if (await LeadsOnAsync(candidate.Locator))
            {
                Found(site, candidate.Locator, null, score, ranked.Where(r => r.Candidate != candidate).Select(r => r.Score).DefaultIfEmpty(0).Max());
                return UiResult<Done>.Success(Done.Value);
            }
        }
        Missed(site, "no candidate led to the screen the next step reads");
        // What the next step reads may simply be empty for this patient (an immunization list with none on file has no
        // row to prove a table by): a later patient may try again, a few times a run at most.
        if (_clickRetries.GetValueOrDefault(ScreenKey(site)) is var retries && retries < ClickRetries)
        {
            _clickRetries[ScreenKey(site)] = retries + 1;
            _tried.Remove(ScreenKey(site));
        }
        return null;
    }

    /// <summary>
    /// For a target written <c>below</c> a text that a column heal in force renamed (the same words as a column header
    /// of a table the playbook reads): the same locator under the new header, with that heal's score. Null when no column
    /// heal names the text, heals name it differently, or an engineer turned this change down.
    /// </summary>
    private (UiLocator Locator, double Score)? RenamedHeader(HealSite site, UiTarget target)
    {
        var written = target.Locators[0];
        if (written.Kind != LocatorKind.Below)
        {
            return null;
        }
        var column = $"column \"{written.Value}\" of ";
        var heals = Store.Proposals.Where(p => p.Playbook == playbook.Id && p.Version == playbook.Version && p.Status == HealStatus.Proposed
                                               && p.Header is not null && p.Target.StartsWith(column, StringComparison.OrdinalIgnoreCase)).ToList();
        if (heals.Count == 0 || heals.Select(p => p.Header).Distinct(StringComparer.OrdinalIgnoreCase).Count() != 1)
        {
            return null;
        }
        var renamed = written with { Value = heals[0].Header!, Index = null };
        return Store.WasRejected(playbook.Id, playbook.Version, site.Written, renamed, null) ? null : (renamed, heals[0].Score);
    }

    /// <summary>
    /// Clicks a candidate chosen for an ai: target and keeps the click only when the next step's target then appears;
    /// after one that does not lead there, goes back. A click with no next step to show it worked is taken as it is.
    /// </summary>
    private async Task<UiResult<Done>?> ClickLeadsOnAsync(HealSite site, UiTarget target, UiCandidate candidate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var before = inner.Location;
        var click = await inner.ClickAsync(Healed(site, target, candidate.Locator), timeout, cancellationToken);
        if (!click.Ok)
        {
            return null;
        }
        if ((site.Next is null && site.NextText is null) || await NextAppearsAsync(site, cancellationToken))
        {
            return click;
        }
        if (inner.Location != before)
        {
            await inner.NavigateAsync(before, timeout, cancellationToken);
        }
        return null;
    }

    /// <summary>
    /// Whether the next step's target appears (or, when it moved too, can be found clearly on the new screen), or the
    /// screen shows the text the next step waits for.
    /// </summary>
    private async Task<bool> NextAppearsAsync(HealSite site, CancellationToken cancellationToken)
    {
        if (site.NextText is { } text)
        {
            return await WithinVerifyTimeAsync(() => inner.ShowsTextAsync(text, cancellationToken), cancellationToken);
        }
        if (site.Next is null || Render is null)
        {
            return false;
        }
        var next = Render(site.Next, $"{site.Path}: the screen after the click");
        var effective = Prepare(next).Effective;
        if (await WithinVerifyTimeAsync(() => inner.IsVisibleAsync(effective, cancellationToken), cancellationToken))
        {
            return true;
        }
        // The next target moved too: the click is right only if the next step can then read what it reads, in full.
        if (!_sites.TryGetValue(site.Next, out var nextSite) || await BestAsync(nextSite, next, cancellationToken, remember: false) is not var (candidate, _, _))
        {
            return false;
        }
        var probe = Healed(nextSite, next, candidate.Locator);
        if (nextSite is { Role: HealRole.Table, Table: { } step })
        {
            var table = await inner.ReadTableAsync(probe, Options.VerifyTimeout, cancellationToken);
            return table.Ok && step.Columns.All(c => c.Header == Steps.ExtractTableFactory.AcrossHeader || ColumnHealing.IndexOf(table.Value!.Headers, c.Header) >= 0);
        }
        if (nextSite.Role == HealRole.Read)
        {
            var value = await inner.ReadTextAsync(probe, Options.VerifyTimeout, cancellationToken);
            return value.Ok && Verified(nextSite, value.Value);
        }
        return false;
    }

    /// <summary>Whether the next step's target or text is on the screen now (one look, no wait).</summary>
    private async Task<bool> NextShownAsync(HealSite site, CancellationToken cancellationToken)
    {
        if (site.NextText is { } text)
        {
            return await inner.ShowsTextAsync(text, cancellationToken);
        }
        return site.Next is not null && Render is not null
            && await inner.IsVisibleAsync(Prepare(Render(site.Next, $"{site.Path}: the screen before the click")).Effective, cancellationToken);
    }

    /// <summary>Whether <paramref name="shown"/> holds within <see cref="HealingOptions.VerifyTimeout"/>, looked at every 100 ms.</summary>
    private async Task<bool> WithinVerifyTimeAsync(Func<Task<bool>> shown, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + Options.VerifyTimeout;
        while (true)
        {
            if (await shown())
            {
                return true;
            }
            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    /// <summary>The clear winner among the candidates for a site, or null (and the miss noted).</summary>
    /// <remarks>
    /// With <paramref name="contested"/>, candidates without a clear winner are put there, best first, for the AI tier,
    /// and the miss is left to the caller.
    /// </remarks>
    private async Task<(UiCandidate Candidate, double Score, double RunnerUp)?> BestAsync(HealSite site, UiTarget target, CancellationToken cancellationToken,
        bool remember = true, List<(UiCandidate Candidate, double Score)>? contested = null)
    {
        var ranked = await RankAsync(site, target, cancellationToken, remember);
        if (ranked is null || ranked.Count == 0)
        {
            return null;
        }
        var best = ranked[0];
        var runnerUp = ranked.Count > 1 ? ranked[1].Score : 0;
        if (best.Score < Options.MinScore || best.Score - runnerUp < Options.Margin)
        {
            if (contested is not null)
            {
                contested.AddRange(ranked);
            }
            else if (remember)
            {
                Missed(site, $"no candidate wins clearly (best {best.Score:0.00}, next {runnerUp:0.00})");
            }
            return null;
        }
        return (best.Candidate, best.Score, runnerUp);
    }

    private async Task<List<(UiCandidate Candidate, double Score)>?> RankAsync(HealSite site, UiTarget target, CancellationToken cancellationToken, bool remember = true)
    {
        var known = Store.Fingerprint(_key, site.Path) ?? _sites.Values.Where(s => s.Written == site.Written)
            .Select(s => Store.Fingerprint(_key, s.Path)).FirstOrDefault(f => f is not null);
        if (known is null)
        {
            return null;
        }
        // One attempt per target and screen: the same screen gives the same candidates, and an optional field that is
        // simply not there (no date of death) must not cost a search on every patient.
        if (remember && !_tried.Add(ScreenKey(site)))
        {
            return null;
        }
        var candidates = (await inner.CandidatesAsync(site.Kind, target.Locators[0], cancellationToken))
            .Where(c => !Store.WasRejected(playbook.Id, playbook.Version, site.Written, c.Locator, null))
            .ToList();
        // A value is read only from a place like the one it was read from: its value parses however far off it is.
        var placed = site.Kind == UiElementKind.Value
            ? candidates.Where(c => FingerprintScorer.Placement(known, c.Fingerprint) >= Options.MinPlacement).ToList()
            : candidates;
        if (remember && placed.Count == 0 && candidates.Count > 0)
        {
            Missed(site, $"no candidate sits where it was read before (placement under {Options.MinPlacement:0.00} for all {candidates.Count})");
        }
        return placed
            .Select(c => (Candidate: c, Score: FingerprintScorer.Score(known, c.Fingerprint)))
            .OrderByDescending(c => c.Score)
            .ToList();
    }

    private string ScreenKey(HealSite site) => $"{site.Written}@{ScreenOf(inner.Location)}";

    private UiTarget Healed(HealSite site, UiTarget target, UiLocator locator)
    {
        var healed = new UiTarget([locator], target.Description);
        _attached.AddOrUpdate(healed, site);
        return healed;
    }

    /// <summary>A read heal is verified when the value is there and parses as the field says.</summary>
    private bool Verified(HealSite site, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        if (site.Field is not { } field)
        {
            return true;
        }
        var parsed = ValueParsers.Parse(text, field.Parse, playbook.ConceptMaps, time.GetUtcNow().Year);
        return parsed.Ok && parsed.Value is not null;
    }

    private async Task LearnAsync(HealSite site, UiTarget target, UiTable? table, CancellationToken cancellationToken)
    {
        _learnt.Add(site.Path);
        var fingerprint = await inner.FingerprintAsync(target, cancellationToken);
        IReadOnlyList<ColumnPrint>? columns = table is not null && site.Table is { } step ? ColumnHealing.Learn(step, table) : null;
        if (fingerprint is not null || columns is { Count: > 0 })
        {
            Store.Learn(_key, site.Path, fingerprint, columns);
        }
    }

    /// <summary>The table with renamed columns healed back to the playbook's headers, or null when a column cannot be found.</summary>
    private UiTable? Columns(HealSite site, UiTable table)
    {
        if (site.Table is not { } step)
        {
            return table;
        }
        var renames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in step.Columns.Where(c => c.Header != Steps.ExtractTableFactory.AcrossHeader && ColumnHealing.IndexOf(table.Headers, c.Header) < 0))
        {
            var written = $"column \"{column.Header}\" of {site.Path}";
            var shown = Store.Active(playbook.Id, playbook.Version, written)?.Header;
            var found = false;
            if (shown is not null && ColumnHealing.IndexOf(table.Headers, shown) >= 0)
            {
                renames[shown] = column.Header;
                continue;
            }
            var prints = Store.Columns(_key, site.Path);
            if (prints.FirstOrDefault(p => p.Header == column.Header) is { } print
                && ColumnHealing.Best(print, step, table, renames.Keys, Options, playbook.ConceptMaps, time.GetUtcNow().Year) is var (header, score, runnerUp)
                && !Store.WasRejected(playbook.Id, playbook.Version, written, null, header))
            {
                renames[header] = column.Header;
                FoundColumn(site, column, written, header, score, runnerUp);
                found = true;
            }
            if (!found)
            {
                healing.Miss();
                return null;
            }
        }
        return renames.Count == 0 ? table : table with { Headers = [.. table.Headers.Select(h => renames.TryGetValue(h, out var to) ? to : h)] };
    }

    private void FoundColumn(HealSite site, ColumnDefinition column, string written, string header, double score, double runnerUp)
    {
        var edit = PlaybookPatch.Header(column, header);
        var (proposal, _) = Store.Propose(new HealProposal
        {
            Id = HealStore.IdOf(playbook.Id, playbook.Version, written, header),
            Playbook = playbook.Id,
            Version = playbook.Version,
            Target = written,
            Sites = [site.Path],
            Header = header,
            Score = score,
            RunnerUp = runnerUp,
            Edits = edit is null ? [] : [edit],
            Found = time.GetUtcNow(),
        });
        healing.Record(new HealEvent(site.Path, written, $"column \"{header}\"", score, proposal.Id, Found: true));
    }

    private void Found(HealSite site, UiLocator locator, string? header, double score, double runnerUp, bool byAi = false)
    {
        // Every place that writes the target alike gets the same edit, so the accepted playbook needs no heal anywhere.
        // An ai: target's edit replaces its words with the locator the model's choice has.
        var alike = _sites.Values.Where(s => s.Written == site.Written).ToList();
        var edits = alike.Select(s => PlaybookPatch.Locator(s.Target.Alternatives.FirstOrDefault(a => a.Kind == TargetKind.Ai) ?? s.Target.Alternatives[0], locator))
            .OfType<HealEdit>().Distinct().ToList();
        var (proposal, _) = Store.Propose(new HealProposal
        {
            Id = HealStore.IdOf(playbook.Id, playbook.Version, site.Written, locator.ToString()),
            Playbook = playbook.Id,
            Version = playbook.Version,
            Target = site.Written,
            Sites = [.. alike.Select(s => s.Path)],
            Locator = locator,
            Header = header,
            Score = score,
            RunnerUp = runnerUp,
            Edits = edits,
            Found = time.GetUtcNow(),
            ChosenBy = byAi ? HealProposal.ByAi : null,
        });
        healing.Record(new HealEvent(site.Path, site.Written, Describe(proposal), score, proposal.Id, Found: true, ByAi: byAi));
    }

    private void Missed(HealSite site, string why)
    {
        healing.Miss();
        healing.Options.OnHeal?.Invoke(new HealEvent(site.Path, site.Written, $"not healed: {why}", 0, "", Found: false));
    }

    private static string Describe(HealProposal proposal) => proposal.Locator?.ToString() ?? $"column \"{proposal.Header}\"";

    /// <summary>A screen's address without numbers or query values (they can be record ids or search terms).</summary>
    private static string ScreenOf(string location)
    {
        var cut = location.IndexOf('?', StringComparison.Ordinal);
        var path = Digits().Replace(cut < 0 ? location : location[..cut], "#");
        return cut < 0 ? path : path + "?" + string.Join("&", location[(cut + 1)..].Split('&').Select(p => p.Split('=')[0]).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"\b(log\s*off|log\s*out|logout|sign\s*out|sign\s*off|exit|quit|close)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeavesSession();
}
