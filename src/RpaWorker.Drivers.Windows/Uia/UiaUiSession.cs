using System.Diagnostics;
using System.Globalization;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Windows.Uia;

/// <summary>
/// One session on one Windows application over UI Automation. Lookups run against a snapshot of the application's
/// windows that is reused until this session acts on the application (every action changes the screen or may) or
/// until it is older than <see cref="SnapshotLifetime"/>; a lookup that misses takes a fresh one on its next poll.
/// </summary>
internal sealed class UiaUiSession(IUiaBackend backend, TimeProvider time) : IUiSession
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SnapshotLifetime = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(2);

    private UiaAddress? _address;
    private Process? _launched;
    private UiaSnapshot? _snapshot;
    private long _snapshotTakenAt;

    /// <summary>
    /// Where the session is: <c>uia://PROCESS</c>, then the selected tab of each tab control in the main window as a
    /// path (<c>/Problems</c>), then the main window's title as a fragment. Titles of chart windows name the patient,
    /// so the title stays in the fragment, which Provenance leaves out.
    /// </summary>
    public string Location { get; private set; } = "";

    /// <inheritdoc />
    public UiDialog? OpenDialog { get; private set; }

    /// <inheritdoc />
    public async Task<UiResult<Done>> NavigateAsync(string address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (UiaAddress.TryParse(address, out var error) is not { } parsed)
        {
            return UiResult<Done>.Fail(UiFailure.Unsupported, error!);
        }
        var started = time.GetTimestamp();
        var launched = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (Windows(parsed).Count > 0)
                {
                    _address = parsed;
                    if (Snapshot(fresh: true).MainWindow is not null)
                    {
                        return UiResult<Done>.Success(Done.Value);
                    }
                }
                else if (parsed.Command is { } command && !launched && _launched is null)
                {
                    _launched = Launch(command);
                    launched = true;
                }
            }
            catch (UiaElementUnavailableException)
            {
                // A window closed while it was read: look again.
            }
            if (_launched is { HasExited: true } gone)
            {
                return UiResult<Done>.Fail(UiFailure.Disconnected,
                    $"the command started for process '{parsed.ProcessName}' exited with code {gone.ExitCode} before its window appeared");
            }
            if (time.GetElapsedTime(started) >= timeout)
            {
                return UiResult<Done>.Fail(UiFailure.NotFound,
                    $"process '{parsed.ProcessName}' did not show a window{(parsed.Title is null ? "" : $" titled like '{parsed.Title}'")} within {Seconds(timeout)}");
            }
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<UiResult<Done>> ClickAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        ActAsync(target, timeout, cancellationToken, node => node.ControlType == UiaControlType.TabItem
            ? Outcome(backend.Select(node), target, node, "select")
            : Outcome(backend.Click(node), target, node, "click"));

    /// <inheritdoc />
    public Task<UiResult<Done>> FillAsync(UiTarget target, string value, TimeSpan timeout, CancellationToken cancellationToken) =>
        ActAsync(target, timeout, cancellationToken, node => backend.SetText(node, value) switch
        {
            UiaOutcome.Unsupported => UiResult<Done>.Fail(UiFailure.Unsupported, $"target '{target}' is a {UiaControlType.NameOf(node.ControlType)}, not an editable field"),
            UiaOutcome.Refused => UiResult<Done>.Fail(UiFailure.Blocked, $"target '{target}' did not accept text (read-only or disabled)"),
            _ => UiResult<Done>.Success(Done.Value),
        });

    /// <inheritdoc />
    public Task<UiResult<Done>> SelectAsync(UiTarget target, string option, TimeSpan timeout, CancellationToken cancellationToken) =>
        ActAsync(target, timeout, cancellationToken, node =>
        {
            switch (node.ControlType)
            {
                case UiaControlType.TabItem:
                    return Outcome(backend.Select(node), target, node, "select");
                case UiaControlType.ComboBox:
                    return SelectInComboBox(node, option, target);
                default:
                    var items = Items(node, option);
                    if (Pick(items, option) is not { } item)
                    {
                        return UiResult<Done>.Fail(items.Count > 1 ? UiFailure.Ambiguous : UiFailure.NotFound,
                            $"target '{target}' ({UiaControlType.NameOf(node.ControlType)}) has {(items.Count > 1 ? "several items like" : "no item with")} the option");
                    }
                    return Outcome(backend.Select(item), target, item, "select");
            }
        });

    /// <inheritdoc />
    public async Task<UiResult<Done>> PressAsync(string key, UiTarget? target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (UiaKey.Parse(key) is not { } parsed)
        {
            return UiResult<Done>.Fail(UiFailure.Unsupported, $"key '{key}' is not known (Enter, Tab, Escape, arrows, F1-F12 or one character)");
        }
        if (target is null)
        {
            if (_address is null)
            {
                return NoApplication<Done>();
            }
            var snapshot = Snapshot(fresh: false);
            var outcome = backend.Press(parsed, null, snapshot.ModalDialog ?? snapshot.MainWindow);
            await AfterActionAsync().ConfigureAwait(false);
            return outcome == UiaOutcome.Done ? UiResult<Done>.Success(Done.Value) : UiResult<Done>.Fail(UiFailure.Blocked, $"key '{key}' could not be sent");
        }
        return await ActAsync(target, timeout, cancellationToken, node => backend.Press(parsed, node, null) == UiaOutcome.Done
            ? UiResult<Done>.Success(Done.Value)
            : UiResult<Done>.Fail(UiFailure.Blocked, $"key '{key}' could not be sent to target '{target}'")).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<UiResult<string>> ReadTextAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        WithTargetAsync(target, timeout, cancellationToken, action: false, node => UiResult<string>.Success(UiaSnapshot.Fold(backend.ReadText(node))));

    /// <inheritdoc />
    public Task<UiResult<UiTable>> ReadTableAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        WithTargetAsync(target, timeout, cancellationToken, action: false, node =>
        {
            var table = UiaControlType.HoldsRows(node.ControlType)
                ? node
                : node.Descendants().FirstOrDefault(n => n.Showing && UiaControlType.HoldsRows(n.ControlType));
            if (table is null)
            {
                return UiResult<UiTable>.Fail(UiFailure.Unsupported, $"target '{target}' is a {UiaControlType.NameOf(node.ControlType)} with no table or list in it");
            }
            return UiResult<UiTable>.Success(backend.ReadGrid(table) ?? TableOf(table));
        });

    /// <inheritdoc />
    public Task<bool> IsVisibleAsync(UiTarget target, CancellationToken cancellationToken)
    {
        if (_address is null)
        {
            return Task.FromResult(false);
        }
        try
        {
            return Task.FromResult(Resolve(Snapshot(fresh: false), target).Node is not null);
        }
        catch (UiaElementUnavailableException)
        {
            Invalidate();
            return Task.FromResult(false);
        }
    }

    /// <inheritdoc />
    public Task<bool> ShowsTextAsync(string text, CancellationToken cancellationToken)
    {
        if (_address is null)
        {
            return Task.FromResult(false);
        }
        try
        {
            return Task.FromResult(Snapshot(fresh: false).Nodes.Any(n => n.Showing && n.Name.Length > 0 && UiaSnapshot.Matches(n.Name, text, exact: false)));
        }
        catch (UiaElementUnavailableException)
        {
            Invalidate();
            return Task.FromResult(false);
        }
    }

    /// <inheritdoc />
    public async Task<UiResult<Done>> AcceptDialogAsync(CancellationToken cancellationToken)
    {
        if (_address is null)
        {
            return NoApplication<Done>();
        }
        var snapshot = Snapshot(fresh: true);
        if (snapshot.ModalDialog is not { } dialog)
        {
            return UiResult<Done>.Fail(UiFailure.NotFound, "no dialog is open");
        }
        var buttons = dialog.Descendants().Where(n => n.Window == dialog && n.Showing && n.ControlType == UiaControlType.Button).ToList();
        var ok = buttons.FirstOrDefault(b => b.Name.Equals("OK", StringComparison.OrdinalIgnoreCase)) ?? buttons.LastOrDefault();
        if (ok is null)
        {
            return UiResult<Done>.Fail(UiFailure.NotFound, "the open dialog has no button");
        }
        var result = Outcome(backend.Click(ok), UiTarget.Of(new UiLocator(LocatorKind.Role, "button", "OK")), ok, "accept");
        await AfterActionAsync().ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    /// <exception cref="UiaUnavailableException">The session has no window yet, or the window cannot be captured.</exception>
    public Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken)
    {
        if (_address is null || Snapshot(fresh: false).MainWindow is not { } window)
        {
            throw new UiaUnavailableException("the session has no window to capture: navigate to uia://PROCESS first");
        }
        return Task.FromResult(backend.Screenshot(window));
    }

    /// <inheritdoc />
    public Task SaveTraceAsync(string? path, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_launched is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // It exited on its own meanwhile.
            }
            process.Dispose();
            _launched = null;
        }
        return ValueTask.CompletedTask;
    }

    private Task<UiResult<Done>> ActAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken, Func<UiaNode, UiResult<Done>> act) =>
        WithTargetAsync(target, timeout, cancellationToken, action: true, act, after: AfterActionAsync);

    /// <summary>
    /// An action may change the screen, and the application redraws after it returns: the tree is read again until
    /// two reads a poll apart agree (bounded by <see cref="SettleLimit"/>), so <see cref="Location"/>,
    /// <see cref="OpenDialog"/> and the next lookups see the screen the action led to.
    /// </summary>
    private async Task AfterActionAsync()
    {
        Invalidate();
        var started = time.GetTimestamp();
        string? previous = null;
        while (true)
        {
            try
            {
                var shape = Snapshot(fresh: true).Shape;
                if (shape == previous || time.GetElapsedTime(started) >= SettleLimit)
                {
                    return;
                }
                previous = shape;
            }
            catch (UiaElementUnavailableException)
            {
                // Elements went away while the tree was read: the screen is still changing.
                previous = null;
            }
            await Task.Delay(Poll, time).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits (polling) until the target resolves, then runs <paramref name="work"/> on it. Actions are refused while
    /// a modal dialog covers the target's window, or when the target is disabled, as they would be for a person.
    /// </summary>
    private async Task<UiResult<T>> WithTargetAsync<T>(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken, bool action,
        Func<UiaNode, UiResult<T>> work, Func<Task>? after = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_address is null)
        {
            return NoApplication<T>();
        }
        var started = time.GetTimestamp();
        var fresh = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            UiFailure failure;
            string reason;
            try
            {
                var snapshot = Snapshot(fresh);
                var (node, locator, ambiguous) = Resolve(snapshot, target);
                if (node is null)
                {
                    failure = ambiguous ? UiFailure.Ambiguous : UiFailure.NotFound;
                    reason = $"target '{target}' {(ambiguous ? "matched several elements" : "not found")}: tried {string.Join("; ", target.Locators)}";
                }
                else if (action && snapshot.ModalDialog is { } modal && node.Window != modal && !node.Ancestors().Contains(modal))
                {
                    failure = UiFailure.Blocked;
                    reason = $"target '{target}' is covered by an open modal dialog";
                }
                else if (action && !node.Enabled)
                {
                    failure = UiFailure.Blocked;
                    reason = $"target '{target}' is disabled";
                }
                else
                {
                    var result = work(node);
                    if (after is not null)
                    {
                        await after().ConfigureAwait(false);
                    }
                    return result.Ok ? result with { Locator = locator } : result;
                }
            }
            catch (UiaElementUnavailableException)
            {
                // The element went away between the snapshot and the call: the screen changed under us.
                failure = UiFailure.NotFound;
                reason = $"target '{target}' went away while it was used";
            }
            if (time.GetElapsedTime(started) >= timeout)
            {
                return UiResult<T>.Fail(failure, reason + $" (waited {Seconds(timeout)})");
            }
            fresh = true;
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first locator that resolves to exactly one element (or to its index) wins.</summary>
    private static (UiaNode? Node, int? Locator, bool Ambiguous) Resolve(UiaSnapshot snapshot, UiTarget target)
    {
        var locatorOf = new UiaLocator(snapshot);
        var ambiguous = false;
        for (var i = 0; i < target.Locators.Count; i++)
        {
            var locator = target.Locators[i];
            var matches = locatorOf.Resolve(locator);
            if (matches is null || matches.Count == 0)
            {
                continue;
            }
            if (locator.Index is { } index)
            {
                if (index < matches.Count)
                {
                    return (matches[index], i, false);
                }
                continue;
            }
            if (Pick(matches, locator.Exact ? null : locator.Name ?? locator.Value) is { } one)
            {
                return (one, i, false);
            }
            ambiguous = true;
        }
        return (null, null, ambiguous);
    }

    /// <summary>The single match, or among several the single one whose whole text is the wanted text.</summary>
    private static UiaNode? Pick(IReadOnlyList<UiaNode> matches, string? wanted)
    {
        if (matches.Count == 1)
        {
            return matches[0];
        }
        if (wanted is null)
        {
            return null;
        }
        var whole = matches.Where(m => UiaSnapshot.Matches(m.Name, wanted, exact: true)).ToList();
        return whole.Count == 1 ? whole[0] : null;
    }

    /// <summary>
    /// A combo box's items are in its list, which Win32 and WinForms combo boxes fill only while it is open: when
    /// the closed box shows no such item, it is opened, looked at again, and closed after the choice.
    /// </summary>
    private UiResult<Done> SelectInComboBox(UiaNode box, string option, UiTarget target)
    {
        var items = Items(box, option);
        var opened = false;
        if (items.Count == 0 && backend.Expand(box, expand: true) is UiaOutcome.Done)
        {
            opened = true;
            var again = Snapshot(fresh: true).Nodes.FirstOrDefault(n => ReferenceEquals(n.Element, box.Element) || SameControl(n, box));
            items = again is null ? [] : Items(again, option);
        }
        var item = Pick(items, option);
        var result = item is null
            ? UiResult<Done>.Fail(items.Count > 1 ? UiFailure.Ambiguous : UiFailure.NotFound,
                $"target '{target}' (ComboBox) has {(items.Count > 1 ? "several items like" : "no item with")} the option")
            : Outcome(backend.Select(item), target, item, "select");
        if (opened)
        {
            backend.Expand(box, expand: false);
        }
        return result;
    }

    /// <summary>The same control in a later snapshot (its elements are new objects): same type, id, name and place.</summary>
    private static bool SameControl(UiaNode a, UiaNode b) =>
        a.ControlType == b.ControlType && a.AutomationId == b.AutomationId && a.Name == b.Name && a.Bounds == b.Bounds;

    /// <summary>The items (tabs, list and combo box items, rows, tree items) inside the control that show the option.</summary>
    private static List<UiaNode> Items(UiaNode container, string option) =>
        container.Descendants()
            .Where(n => n.ControlType is UiaControlType.TabItem or UiaControlType.ListItem or UiaControlType.DataItem or UiaControlType.TreeItem or UiaControlType.MenuItem)
            .Where(n => UiaSnapshot.Matches(n.Name, option, exact: false) || n.Descendants().Any(d => UiaSnapshot.Matches(d.Name, option, exact: false)))
            .ToList();

    /// <summary>
    /// A table read from the snapshot, for lists and tables without a Grid pattern: the header items, then one row
    /// per item, its cells its children's names (or its own name when it has none).
    /// </summary>
    internal static UiTable TableOf(UiaNode table)
    {
        var headers = table.Descendants().Where(n => n.ControlType == UiaControlType.HeaderItem).Select(n => UiaSnapshot.Fold(n.Name)).ToList();
        var rows = table.Descendants()
            .Where(n => n.ControlType is UiaControlType.DataItem or UiaControlType.ListItem or UiaControlType.TreeItem)
            .Where(n => !n.Ancestors().TakeWhile(a => a != table).Any(a => a.ControlType is UiaControlType.DataItem or UiaControlType.ListItem))
            .Select(r => (IReadOnlyList<string>)(r.Children.Count == 0
                ? [UiaSnapshot.Fold(r.Name)]
                : r.Children.Select(c => UiaSnapshot.Fold(c.Name)).ToList()))
            .ToList();
        return new UiTable(headers.All(h => h.Length == 0) ? [] : headers, rows);
    }

    private static UiResult<Done> Outcome(UiaOutcome outcome, UiTarget target, UiaNode node, string what) => outcome switch
    {
        UiaOutcome.Unsupported => UiResult<Done>.Fail(UiFailure.Unsupported, $"target '{target}' ({UiaControlType.NameOf(node.ControlType)}) has no pattern to {what} it"),
        UiaOutcome.Refused => UiResult<Done>.Fail(UiFailure.Blocked, $"target '{target}' refused to {what}"),
        _ => UiResult<Done>.Success(Done.Value),
    };

    private IReadOnlyList<UiaTopLevel> Windows(UiaAddress address)
    {
        var all = backend.TopLevelWindows();
        var mine = all.Where(w => w.ProcessName.Equals(address.ProcessName, StringComparison.OrdinalIgnoreCase)).ToList();
        if (address.Title is { } title)
        {
            // The title picks the process; all of its windows belong to the session (dialogs have titles of their own).
            var processes = mine.Where(w => UiaSnapshot.Matches(w.Title, title, exact: false)).Select(w => w.ProcessId).ToHashSet();
            mine = mine.Where(w => processes.Contains(w.ProcessId)).ToList();
        }
        return mine;
    }

    private UiaSnapshot Snapshot(bool fresh)
    {
        if (fresh || _snapshot is null || time.GetElapsedTime(_snapshotTakenAt) > SnapshotLifetime)
        {
            _snapshot = backend.Snapshot(Windows(_address!));
            _snapshotTakenAt = time.GetTimestamp();
            Location = ScreenAddress(_snapshot);
            OpenDialog = _snapshot.ModalDialog is { } dialog
                ? new UiDialog("message", UiaSnapshot.Fold(string.Join(" ", dialog.Descendants()
                    .Where(n => n.Window == dialog && n.Showing && n.ControlType == UiaControlType.Text && n.Name.Length > 0).Select(n => n.Name))))
                : null;
        }
        return _snapshot;
    }

    private string ScreenAddress(UiaSnapshot snapshot)
    {
        if (snapshot.MainWindow is not { } window)
        {
            return "";
        }
        var tabs = window.Descendants().Where(n => n.Window == window && n.Showing && n.ControlType == UiaControlType.TabItem && n.Selected)
            .Select(n => "/" + UiaSnapshot.Fold(n.Name).Replace('#', ' ').Replace('?', ' '));
        return $"{UiaAddress.Scheme}{_address!.ProcessName}{string.Concat(tabs)}#{UiaSnapshot.Fold(window.Name)}";
    }

    private void Invalidate() => _snapshot = null;

    private static Process Launch(IReadOnlyList<string> command)
    {
        var psi = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }
        try
        {
            return Process.Start(psi) ?? throw new UiaUnavailableException($"'{command[0]}' did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new UiaUnavailableException($"cannot start '{command[0]}': {ex.Message}", ex);
        }
    }

    private static UiResult<T> NoApplication<T>() =>
        UiResult<T>.Fail(UiFailure.Disconnected, "the session has no application yet: navigate to uia://PROCESS first");

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
}
