using RpaWorker.Ui;

namespace RpaWorker.Engine.Tests;

/// <summary>
/// A scripted screen: what each locator value reads as, which are visible, what clicking does, and failures to
/// inject. Records every action so tests can assert what the engine did.
/// </summary>
internal sealed class FakeSession : IUiSession
{
    public Dictionary<string, string> Texts { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<UiTable>> Tables { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Visible { get; } = new(StringComparer.Ordinal);
    public string ScreenText { get; set; } = "";
    public Dictionary<string, Action> OnClick { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Queue<UiFailure>> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>Failures text reads of a key meet, in order (kept apart from <see cref="Failures"/>: guards read before they act).</summary>
    public Dictionary<string, Queue<UiFailure>> ReadFailures { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs after a successful read of a key (to change the screen mid-step).</summary>
    public Dictionary<string, Action> OnRead { get; } = new(StringComparer.Ordinal);

    /// <summary>A failure every operation on a key meets while the screen is in some state (a popup, an expired session).</summary>
    public Func<string, UiFailure?>? Obstacle { get; set; }

    /// <summary>Controls whose click takes effect even when an injected failure answers it (a navigation slower than the timeout).</summary>
    public HashSet<string> ActsDespiteFailure { get; } = new(StringComparer.Ordinal);
    public List<string> Actions { get; } = [];
    public Dictionary<string, string> Filled { get; } = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _tablePage = new(StringComparer.Ordinal);

    /// <summary>Fingerprints of elements by locator value, given out while the locator reads (see <see cref="Texts"/>).</summary>
    public Dictionary<string, UiFingerprint> Prints { get; } = new(StringComparer.Ordinal);

    /// <summary>What the screen offers a heal.</summary>
    public List<UiCandidate> Candidates { get; } = [];

    public string Location { get; set; } = "http://ehr.test/";

    public Task<UiFingerprint?> FingerprintAsync(UiTarget target, CancellationToken cancellationToken) =>
        Task.FromResult(target.Locators.Where(l => Texts.ContainsKey(l.Value) || Tables.ContainsKey(l.Value))
            .Select(l => Prints.GetValueOrDefault(l.Value)).FirstOrDefault());

    public Task<IReadOnlyList<UiCandidate>> CandidatesAsync(UiElementKind kind, UiLocator like, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UiCandidate>>([.. Candidates.Where(c => c.Fingerprint.Kind == kind)]);

    public UiDialog? OpenDialog { get; set; }

    public Task<UiResult<Done>> NavigateAsync(string address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Actions.Add("goto " + address);
        if (Fail<Done>(address) is { } f)
        {
            return Task.FromResult(f);
        }
        Location = address;
        return Task.FromResult(UiResult<Done>.Success(Done.Value));
    }

    public Task<UiResult<Done>> ClickAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        Act("click", target, key =>
        {
            if (OnClick.TryGetValue(key, out var action))
            {
                action();
            }
        });

    public Task<UiResult<Done>> FillAsync(UiTarget target, string value, TimeSpan timeout, CancellationToken cancellationToken) =>
        Act("fill", target, key => Filled[key] = value);

    public Task<UiResult<Done>> SelectAsync(UiTarget target, string option, TimeSpan timeout, CancellationToken cancellationToken) =>
        Act("select", target, _ => { });

    public Task<UiResult<Done>> PressAsync(string key, UiTarget? target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Actions.Add("press " + key);
        return Task.FromResult(UiResult<Done>.Success(Done.Value));
    }

    public Task<UiResult<string>> ReadTextAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var (locator, i) in target.Locators.Select((l, i) => (l, i)))
        {
            if (Obstacle?.Invoke(locator.Value) is { } obstacle)
            {
                return Task.FromResult(UiResult<string>.Fail(obstacle, $"{obstacle} on {target.Description}"));
            }
            if (ReadFailures.TryGetValue(locator.Value, out var queue) && queue.Count > 0)
            {
                var failure = queue.Dequeue();
                return Task.FromResult(UiResult<string>.Fail(failure, $"injected read failure on {locator.Value}"));
            }
            if (Texts.TryGetValue(locator.Value, out var text))
            {
                if (OnRead.Remove(locator.Value, out var effect))
                {
                    effect();
                }
                return Task.FromResult(UiResult<string>.Success(text, i));
            }
        }
        return Task.FromResult(UiResult<string>.Fail(UiFailure.NotFound, $"target not found: {target.Description}"));
    }

    public Task<UiResult<UiTable>> ReadTableAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = target.Locators[0].Value;
        if (Fail<UiTable>(key) is { } f)
        {
            return Task.FromResult(f);
        }
        if (!Tables.TryGetValue(key, out var pages))
        {
            return Task.FromResult(UiResult<UiTable>.Fail(UiFailure.NotFound, $"target not found: {target.Description}"));
        }
        return Task.FromResult(UiResult<UiTable>.Success(pages[Math.Min(_tablePage.GetValueOrDefault(key), pages.Count - 1)]));
    }

    /// <summary>Cells of a table the driver doubts (as an OCR driver would), by the table's locator value.</summary>
    public Dictionary<string, List<UiDoubtfulCell>> Doubtful { get; } = new(StringComparer.Ordinal);

    public async Task<UiResult<UiCheckedTable>> ReadCheckedTableAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var read = await ReadTableAsync(target, timeout, cancellationToken);
        return read.Ok
            ? UiResult<UiCheckedTable>.Success(new UiCheckedTable(read.Value!, Doubtful.GetValueOrDefault(target.Locators[0].Value) ?? []), read.Locator)
            : read.As<UiCheckedTable>();
    }

    /// <summary>Moves a paged table to its next page (for an OnClick of a "Next" link).</summary>
    public void NextPage(string table) => _tablePage[table] = _tablePage.GetValueOrDefault(table) + 1;

    public Task<bool> IsVisibleAsync(UiTarget target, CancellationToken cancellationToken) =>
        Task.FromResult(target.Locators.Any(l => Visible.Contains(l.Value)));

    public Task<bool> ShowsTextAsync(string text, CancellationToken cancellationToken) =>
        Task.FromResult(ScreenText.Contains(text, StringComparison.OrdinalIgnoreCase));

    public Task<UiResult<Done>> AcceptDialogAsync(CancellationToken cancellationToken)
    {
        Actions.Add("accept dialog");
        OpenDialog = null;
        return Task.FromResult(UiResult<Done>.Success(Done.Value));
    }

    public Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken) => Task.FromResult(Array.Empty<byte>());

    /// <summary>PNG pictures of elements by locator value, for <see cref="CaptureAsync"/>.</summary>
    public Dictionary<string, byte[]> Pictures { get; } = new(StringComparer.Ordinal);

    public Task<UiResult<byte[]>> CaptureAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(target.Locators.Select(l => Pictures.GetValueOrDefault(l.Value)).FirstOrDefault(p => p is not null) is { } png
            ? UiResult<byte[]>.Success(png)
            : UiResult<byte[]>.Fail(UiFailure.NotFound, $"target not found: {target.Description}"));

    public Task SaveTraceAsync(string? path, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<UiResult<Done>> Act(string verb, UiTarget target, Action<string> effect)
    {
        var key = target.Locators[0].Value;
        if ((Obstacle?.Invoke(key) is { } obstacle ? UiResult<Done>.Fail(obstacle, "obstacle") : Fail<Done>(key)) is { } f)
        {
            Actions.Add($"{verb} {key} failed {f.Failure}");
            if (ActsDespiteFailure.Contains(key))
            {
                effect(key);
            }
            return Task.FromResult(f);
        }
        Actions.Add($"{verb} {key}");
        effect(key);
        return Task.FromResult(UiResult<Done>.Success(Done.Value));
    }

    private UiResult<T>? Fail<T>(string key) =>
        Failures.TryGetValue(key, out var queue) && queue.Count > 0
            ? UiResult<T>.Fail(queue.Dequeue(), $"injected failure on {key}")
            : null;
}
