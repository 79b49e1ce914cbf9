using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Web;

/// <summary>
/// One browser context and its page. Native dialogs are held open until accepted; while one is open the page cannot
/// run anything, so operations on it answer <see cref="UiFailure.Blocked"/> at once instead of hanging.
/// </summary>
internal sealed partial class WebUiSession : IUiSession
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // Long enough for a page that is still laying out, short enough that a covered element costs little of the timeout.
    private static readonly TimeSpan BlockedProbe = TimeSpan.FromSeconds(1);

    private readonly IBrowserContext _context;
    private readonly IPage _page;
    private readonly UiSessionOptions _options;
    private readonly TimeSpan _navigationTimeout;
    private readonly Lock _gate = new();
    private IDialog? _dialog;
    private TaskCompletionSource _dialogOpened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _navigations;
    private int _lastStatus;
    private volatile bool _gone;
    private bool _tracing;
    private int _disposed;

    public WebUiSession(IBrowserContext context, IPage page, UiSessionOptions options, TimeSpan navigationTimeout)
    {
        _context = context;
        _page = page;
        _options = options;
        _navigationTimeout = navigationTimeout;
        _tracing = options.Trace;
        page.Dialog += OnDialog;
        page.Response += OnResponse;
        page.Crash += (_, _) => _gone = true;
        page.Close += (_, _) => _gone = true;
    }

    public string Location => _page.Url;

    public UiDialog? OpenDialog
    {
        get
        {
            var dialog = _dialog;
            return dialog is null ? null : new UiDialog(dialog.Type, dialog.Message);
        }
    }

    public async Task<UiResult<Done>> NavigateAsync(string address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        const string what = "navigation";
        if (Unavailable<Done>(what) is { } no)
        {
            return no;
        }
        try
        {
            var response = await GuardAsync(_page.GotoAsync(Absolute(address), new PageGotoOptions
            {
                Timeout = WebUiDriver.Milliseconds(timeout),
                WaitUntil = WaitUntilState.Load,
            }), cancellationToken);
            return response is { Status: >= 500 } r
                ? UiResult<Done>.Fail(UiFailure.ServerError, $"{what}: the server answered HTTP {r.Status}")
                : UiResult<Done>.Success(Done.Value);
        }
        catch (DialogOpenedException)
        {
            // The page loaded far enough to run its script; the dialog is for the caller to handle.
            return UiResult<Done>.Success(Done.Value);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return Failure<Done>(e, what, "navigation", timeout);
        }
    }

    public Task<UiResult<Done>> ClickAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        ActAsync(target, timeout, "click", mayNavigate: true, async (element, deadline) =>
        {
            await element.ClickAsync(new LocatorClickOptions { Timeout = deadline.Milliseconds });
            return null;
        }, cancellationToken);

    public Task<UiResult<Done>> FillAsync(UiTarget target, string value, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ActAsync(target, timeout, "fill", mayNavigate: false, async (element, deadline) =>
        {
            try
            {
                if (!await element.IsEditableAsync(new LocatorIsEditableOptions { Timeout = deadline.Milliseconds }))
                {
                    return Blocked(target, "is read-only or disabled");
                }
            }
            catch (PlaywrightException e) when (e.Message.Contains("not an <input>", StringComparison.OrdinalIgnoreCase))
            {
                return UiResult<Done>.Fail(UiFailure.Unsupported, $"{target.Description}: the element found is not a text field; tried {Tried(target)}");
            }
            await element.FillAsync(value, new LocatorFillOptions { Timeout = deadline.Milliseconds });
            return null;
        }, cancellationToken);
    }

    public Task<UiResult<Done>> SelectAsync(UiTarget target, string option, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(option);
        return ActAsync(target, timeout, "select", mayNavigate: true, async (element, deadline) =>
        {
            var tag = await element.EvaluateAsync<string>("e => e.tagName", null, new LocatorEvaluateOptions { Timeout = deadline.Milliseconds });
            if (tag == "SELECT")
            {
                var index = await element.EvaluateAsync<int>(PageScripts.OptionIndex, option, new LocatorEvaluateOptions { Timeout = deadline.Milliseconds });
                if (index < 0)
                {
                    return UiResult<Done>.Fail(UiFailure.NotFound, $"{target.Description}: the list has no option with the requested text");
                }
                await element.SelectOptionAsync(new SelectOptionValue { Index = index }, new LocatorSelectOptionOptions { Timeout = deadline.Milliseconds });
                return null;
            }
            // Tab strips and link lists: the option is an element inside the target with that text.
            var choice = element.Locator(ScreenQuery.Selector("text", option, exact: false)).Filter(new LocatorFilterOptions { Visible = true });
            var count = await choice.CountAsync();
            if (count != 1)
            {
                return UiResult<Done>.Fail(count == 0 ? UiFailure.NotFound : UiFailure.Ambiguous,
                    $"{target.Description}: {count} elements inside it have the requested option text");
            }
            await choice.ClickAsync(new LocatorClickOptions { Timeout = deadline.Milliseconds });
            return null;
        }, cancellationToken);
    }

    public async Task<UiResult<Done>> PressAsync(string key, UiTarget? target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (target is not null)
        {
            return await ActAsync(target, timeout, "key press", mayNavigate: true, async (element, deadline) =>
            {
                await element.PressAsync(key, new LocatorPressOptions { Timeout = deadline.Milliseconds });
                return null;
            }, cancellationToken);
        }
        const string focused = "the focused element";
        if (Unavailable<Done>(focused) is { } no)
        {
            return no;
        }
        try
        {
            var navigations = Volatile.Read(ref _navigations);
            await GuardAsync(_page.Keyboard.PressAsync(key), cancellationToken);
            return await GuardAsync(AfterActionAsync(focused, navigations), cancellationToken);
        }
        catch (DialogOpenedException)
        {
            return UiResult<Done>.Success(Done.Value);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return Failure<Done>(e, focused, "key press", timeout);
        }
    }

    public Task<UiResult<string>> ReadTextAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        OnTargetAsync(target, timeout, "read", completedByDialog: false, async (element, deadline) =>
        {
            var text = await element.EvaluateAsync<string>(PageScripts.ReadText, null, new LocatorEvaluateOptions { Timeout = deadline.Milliseconds });
            return UiResult<string>.Success(text ?? "");
        }, cancellationToken);

    public Task<UiResult<byte[]>> CaptureAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        OnTargetAsync(target, timeout, "capture", completedByDialog: false, async (element, deadline) =>
            UiResult<byte[]>.Success(await element.ScreenshotAsync(new LocatorScreenshotOptions { Type = ScreenshotType.Png, Timeout = deadline.Milliseconds })),
            cancellationToken);

    public Task<UiResult<UiTable>> ReadTableAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        OnTargetAsync(target, timeout, "table read", completedByDialog: false, async (element, deadline) =>
        {
            var json = await element.EvaluateAsync<JsonElement?>(PageScripts.ReadTable, null, new LocatorEvaluateOptions { Timeout = deadline.Milliseconds });
            if (json is not { ValueKind: JsonValueKind.Object } table)
            {
                return UiResult<UiTable>.Fail(UiFailure.NotFound, $"{target.Description}: the element found holds no table or list; tried {Tried(target)}");
            }
            var headers = table.GetProperty("headers").EnumerateArray().Select(h => h.GetString() ?? "").ToList();
            var rows = table.GetProperty("rows").EnumerateArray()
                .Select(r => (IReadOnlyList<string>)r.EnumerateArray().Select(c => c.GetString() ?? "").ToList())
                .ToList();
            return UiResult<UiTable>.Success(new UiTable(headers, rows));
        }, cancellationToken);

    public async Task<bool> IsVisibleAsync(UiTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_gone || _dialog is not null)
        {
            return false;
        }
        try
        {
            var round = await GuardAsync(TargetResolver.LookAsync(_page, target), cancellationToken);
            return round.Resolved is { } resolved && await GuardAsync(resolved.Element.IsVisibleAsync(), cancellationToken);
        }
        catch (Exception e) when (e is DialogOpenedException or PlaywrightException or TimeoutException)
        {
            return false;
        }
    }

    public async Task<bool> ShowsTextAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_dialog is { } dialog)
        {
            return dialog.Message.Contains(text, StringComparison.OrdinalIgnoreCase);
        }
        if (_gone)
        {
            return false;
        }
        foreach (var frame in _page.Frames)
        {
            try
            {
                if (await GuardAsync(frame.EvaluateAsync<bool>(PageScripts.ShowsText, text), cancellationToken))
                {
                    return true;
                }
            }
            catch (DialogOpenedException)
            {
                return false;
            }
            catch (PlaywrightException)
            {
                // A frame that is detaching or navigating shows nothing yet.
            }
        }
        return false;
    }

    public async Task<UiResult<Done>> AcceptDialogAsync(CancellationToken cancellationToken)
    {
        IDialog? dialog;
        lock (_gate)
        {
            dialog = _dialog;
            _dialog = null;
            _dialogOpened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        if (dialog is null)
        {
            return UiResult<Done>.Fail(UiFailure.NotFound, "dialog: no native dialog is open");
        }
        try
        {
            await dialog.AcceptAsync().WaitAsync(cancellationToken);
            return UiResult<Done>.Success(Done.Value);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return Failure<Done>(e, "dialog", "accept", _options.DefaultTimeout);
        }
    }

    public async Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken)
    {
        if (_dialog is not null)
        {
            throw new RpaWorkerException("A native dialog is open: the page cannot be captured until the dialog is accepted.");
        }
        try
        {
            return await GuardAsync(_page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png }), cancellationToken);
        }
        catch (DialogOpenedException)
        {
            throw new RpaWorkerException("A native dialog opened: the page cannot be captured until the dialog is accepted.");
        }
        catch (PlaywrightException e)
        {
            throw new RpaWorkerException("The page crashed or was closed: no screenshot could be taken.", e);
        }
    }

    /// <summary>What a trace records: screenshots and DOM snapshots, so a failed step can be seen as it was.</summary>
    internal static readonly TracingStartOptions TraceOptions = new() { Screenshots = true, Snapshots = true };

    public async Task SaveTraceAsync(string? path, CancellationToken cancellationToken)
    {
        if (!_tracing)
        {
            return;
        }
        // A whole new trace per part, not Playwright's trace chunks: a chunk carries the network log of every earlier
        // chunk, so a failed patient's trace would hold the pages of the patients before it.
        if (path is null)
        {
            await _context.Tracing.StopAsync().WaitAsync(cancellationToken);
        }
        else
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }
            await _context.Tracing.StopAsync(new TracingStopOptions { Path = path }).WaitAsync(cancellationToken);
        }
        await _context.Tracing.StartAsync(TraceOptions).WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            if (_tracing)
            {
                _tracing = false;
                await _context.Tracing.StopAsync();
            }
            await _context.CloseAsync();
        }
        catch (PlaywrightException)
        {
            // The browser is already gone (crashed, or the driver closed it first): nothing is left to close.
        }
    }

    /// <summary>
    /// Resolves the target (polling its locators until one resolves or the timeout passes), then acts on the element.
    /// With <paramref name="completedByDialog"/>, a dialog opening during the action means the action happened (a click
    /// that alerts); otherwise the operation is blocked by it.
    /// </summary>
    private async Task<UiResult<T>> OnTargetAsync<T>(UiTarget target, TimeSpan timeout, string action, bool completedByDialog,
        Func<ILocator, Deadline, Task<UiResult<T>>> act, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (Unavailable<T>(target.Description) is { } no)
        {
            return no;
        }
        var deadline = Deadline.After(timeout);
        int? locator = null;
        try
        {
            var resolved = await GuardAsync(ResolveAsync(target, deadline, cancellationToken), cancellationToken);
            if (!resolved.Ok)
            {
                return resolved.As<T>();
            }
            locator = resolved.Value!.LocatorIndex;
            var result = await GuardAsync(act(resolved.Value.Element, deadline), cancellationToken);
            return result with { Locator = locator };
        }
        catch (DialogOpenedException) when (completedByDialog && locator is not null)
        {
            return UiResult<T>.Success(default!, locator);
        }
        catch (DialogOpenedException)
        {
            return DialogBlocks<T>(target.Description);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return Failure<T>(e, target.Description, action, timeout) with { Locator = locator };
        }
    }

    /// <summary>
    /// An action on the target: reports an overlay or a disabled control quickly, then acts; <paramref name="act"/>
    /// returns null on success or its own failure. With <paramref name="mayNavigate"/>, waits for a page the action
    /// opened and reports its HTTP 5xx answer.
    /// </summary>
    private Task<UiResult<Done>> ActAsync(UiTarget target, TimeSpan timeout, string action, bool mayNavigate,
        Func<ILocator, Deadline, Task<UiResult<Done>?>> act, CancellationToken cancellationToken) =>
        OnTargetAsync(target, timeout, action, completedByDialog: true, async (element, deadline) =>
        {
            if (await ProbeAsync(element, target, deadline) is { } blocked)
            {
                return blocked;
            }
            var navigations = Volatile.Read(ref _navigations);
            if (await act(element, deadline) is { } failed)
            {
                return failed;
            }
            return mayNavigate ? await AfterActionAsync(target.Description, navigations) : UiResult<Done>.Success(Done.Value);
        }, cancellationToken);

    private async Task<UiResult<ResolvedTarget>> ResolveAsync(UiTarget target, Deadline deadline, CancellationToken cancellationToken)
    {
        if (target.Locators.Count == 0)
        {
            return UiResult<ResolvedTarget>.Fail(UiFailure.NotFound, $"{target.Description}: the target has no locators");
        }
        while (true)
        {
            var round = await TargetResolver.LookAsync(_page, target);
            if (round.Resolved is { } resolved)
            {
                return UiResult<ResolvedTarget>.Success(resolved, resolved.LocatorIndex);
            }
            if (round.NothingUsable)
            {
                return UiResult<ResolvedTarget>.Fail(UiFailure.Unsupported, $"{target.Description}: {string.Join("; ", round.Unusable)}");
            }
            // Several matches do not turn into one by waiting: report it now rather than at the end of the timeout.
            if (round.Ambiguous is var (index, count))
            {
                return UiResult<ResolvedTarget>.Fail(UiFailure.Ambiguous,
                    $"{target.Description}: {count} elements match {target.Locators[index]}; give an index or a narrower locator");
            }
            if (deadline.Expired)
            {
                var unusable = round.Unusable.Count == 0 ? "" : $" ({string.Join("; ", round.Unusable)})";
                return UiResult<ResolvedTarget>.Fail(UiFailure.NotFound,
                    $"{target.Description}: nothing matched {Tried(target)} within {deadline.Timeout.TotalSeconds:0.##} s{unusable}");
            }
            await Task.Delay(deadline.Remaining < PollInterval ? deadline.Remaining : PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// A trial click that reports an overlay or a disabled control quickly. Anything else (still animating, not yet
    /// visible) is left to the action, which waits out the rest of the timeout.
    /// </summary>
    private static async Task<UiResult<Done>?> ProbeAsync(ILocator element, UiTarget target, Deadline deadline)
    {
        var probe = deadline.Remaining < BlockedProbe ? deadline.Remaining : BlockedProbe;
        try
        {
            await element.ClickAsync(new LocatorClickOptions { Trial = true, Timeout = WebUiDriver.Milliseconds(probe) });
            return null;
        }
        catch (TimeoutException e) when (BlockedWhy(e) is { } why)
        {
            return Blocked(target, why);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Waits for a navigation the action started and reports an HTTP 5xx answer.</summary>
    private async Task<UiResult<Done>> AfterActionAsync(string what, int navigationsBefore)
    {
        try
        {
            await _page.WaitForLoadStateAsync(LoadState.Load, new PageWaitForLoadStateOptions { Timeout = WebUiDriver.Milliseconds(_navigationTimeout) });
        }
        catch (TimeoutException)
        {
            return UiResult<Done>.Fail(UiFailure.Timeout,
                $"{what}: the page it opened did not finish loading within {_navigationTimeout.TotalSeconds:0.##} s");
        }
        var status = Volatile.Read(ref _lastStatus);
        return Volatile.Read(ref _navigations) != navigationsBefore && status >= 500
            ? UiResult<Done>.Fail(UiFailure.ServerError, $"{what}: the page it opened answered HTTP {status}")
            : UiResult<Done>.Success(Done.Value);
    }

    /// <summary>Runs a page operation unless a native dialog opens first (the page stalls until it is accepted).</summary>
    private async Task<T> GuardAsync<T>(Task<T> operation, CancellationToken cancellationToken)
    {
        Task dialogOpened;
        lock (_gate)
        {
            dialogOpened = _dialogOpened.Task;
        }
        Task first;
        try
        {
            first = await Task.WhenAny(operation, dialogOpened).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Observe(operation);
            throw;
        }
        if (first != operation)
        {
            // The operation finishes (or fails) once the dialog is accepted; nobody waits for it any more.
            Observe(operation);
            throw new DialogOpenedException();
        }
        return await operation;
    }

    private Task GuardAsync(Task operation, CancellationToken cancellationToken) =>
        GuardAsync(operation.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, cancellationToken,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default), cancellationToken);

    private static void Observe(Task task) =>
        _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private UiResult<T>? Unavailable<T>(string what)
    {
        if (_gone)
        {
            return UiResult<T>.Fail(UiFailure.Disconnected, $"{what}: the page crashed or was closed");
        }
        return _dialog is null ? null : DialogBlocks<T>(what);
    }

    private static UiResult<T> DialogBlocks<T>(string what) =>
        UiResult<T>.Fail(UiFailure.Blocked, $"{what}: a native dialog is open; accept it first");

    private static UiResult<Done> Blocked(UiTarget target, string why) =>
        UiResult<Done>.Fail(UiFailure.Blocked, $"{target.Description}: the element found {why}; tried {Tried(target)}");

    private static string? BlockedWhy(Exception e) =>
        e.Message.Contains("intercepts pointer events", StringComparison.Ordinal) ? "is covered by another element (a popup or overlay)"
        : e.Message.Contains("not enabled", StringComparison.Ordinal) ? "is disabled"
        : e.Message.Contains("not editable", StringComparison.Ordinal) ? "is read-only or disabled"
        : null;

    /// <summary>Maps a Playwright failure to a result. Playwright's messages quote page markup, so none of it is kept.</summary>
    private UiResult<T> Failure<T>(Exception e, string what, string action, TimeSpan timeout)
    {
        var message = e.Message;
        if (BlockedWhy(e) is { } why)
        {
            return UiResult<T>.Fail(UiFailure.Blocked, $"{what}: the element found {why}");
        }
        if (message.Contains("strict mode violation", StringComparison.Ordinal))
        {
            return UiResult<T>.Fail(UiFailure.Ambiguous, $"{what}: several elements matched when the {action} ran");
        }
        if (NetError().Match(message) is { Success: true } net)
        {
            return UiResult<T>.Fail(UiFailure.Disconnected, $"{what}: the address could not be reached ({net.Value})");
        }
        if (_gone || message.Contains("closed", StringComparison.OrdinalIgnoreCase) || message.Contains("crash", StringComparison.OrdinalIgnoreCase))
        {
            return UiResult<T>.Fail(UiFailure.Disconnected, $"{what}: the page crashed or was closed during the {action}");
        }
        if (e is TimeoutException)
        {
            return UiResult<T>.Fail(UiFailure.Timeout, $"{what}: the {action} did not finish within {timeout.TotalSeconds:0.##} s");
        }
        throw new RpaWorkerException($"The browser failed the {action} on {what}.", e);
    }

    private static string Tried(UiTarget target) => string.Join(", then ", target.Locators);

    private string Absolute(string address)
    {
        if (Uri.TryCreate(address, UriKind.Absolute, out var absolute))
        {
            return absolute.ToString();
        }
        return Uri.TryCreate(_page.Url, UriKind.Absolute, out var here) && here.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? new Uri(here, address).ToString()
            : address;
    }

    private void OnDialog(object? sender, IDialog dialog)
    {
        lock (_gate)
        {
            _dialog = dialog;
            _dialogOpened.TrySetResult();
        }
    }

    private void OnResponse(object? sender, IResponse response)
    {
        if (response.Request.IsNavigationRequest && response.Frame.ParentFrame is null)
        {
            Volatile.Write(ref _lastStatus, response.Status);
            Interlocked.Increment(ref _navigations);
        }
    }

    [GeneratedRegex(@"net::ERR_[A-Z_]+")]
    private static partial Regex NetError();

    private sealed class DialogOpenedException : Exception;

    private readonly record struct Deadline(long Start, TimeSpan Timeout)
    {
        public static Deadline After(TimeSpan timeout) => new(Stopwatch.GetTimestamp(), timeout);

        public TimeSpan Remaining
        {
            get
            {
                var left = Timeout - Stopwatch.GetElapsedTime(Start);
                return left > TimeSpan.Zero ? left : TimeSpan.Zero;
            }
        }

        public bool Expired => Remaining == TimeSpan.Zero;

        public float Milliseconds => WebUiDriver.Milliseconds(Remaining);
    }
}
