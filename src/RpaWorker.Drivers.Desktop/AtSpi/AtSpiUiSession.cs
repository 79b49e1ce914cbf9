using System.Diagnostics;
using System.Globalization;
using RpaWorker.Drivers.Desktop.Display;
using RpaWorker.Ui;
using Tmds.DBus.Protocol;

namespace RpaWorker.Drivers.Desktop.AtSpi;

/// <summary>
/// One session on one desktop application over AT-SPI. Lookups run against a snapshot of the application's tree
/// that is reused until this session acts on the application (every action changes the screen or may) or until
/// it is older than <see cref="SnapshotLifetime"/>; a lookup that misses takes a fresh one on its next poll.
/// </summary>
internal sealed partial class AtSpiUiSession(AtSpiBus bus, TimeProvider time, IReadOnlyDictionary<string, string> launchEnvironment) : IUiSession
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan SnapshotLifetime = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(2);

    // Preferred action names, most specific first: GTK buttons "click", cells and entries "activate".
    private static readonly string[] ClickActions = ["click", "press", "activate", "jump", "toggle", "open"];

    private AtSpiAddress? _address;
    private AtRef? _app;
    private Process? _launched;
    private AtSpiSnapshot? _snapshot;
    private long _snapshotTakenAt;
    private readonly Dictionary<string, IReadOnlyList<AtNode>> _cells = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UiTable> _tables = new(StringComparer.Ordinal);

    /// <summary>
    /// Where the session is: <c>atspi://APP</c>, then the selected tab of each tab list in the main window as a path
    /// (<c>/Problem List</c>), then the window title as a fragment (<c>#MedDesk Classic 4.2 - Patient Search</c>).
    /// Titles of chart windows name the patient, so the title stays in the fragment, which Provenance leaves out.
    /// </summary>
    public string Location { get; private set; } = "";

    /// <inheritdoc />
    public UiDialog? OpenDialog { get; private set; }

    /// <inheritdoc />
    public async Task<UiResult<Done>> NavigateAsync(string address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (AtSpiAddress.TryParse(address, out var error) is not { } parsed)
        {
            return UiResult<Done>.Fail(UiFailure.Unsupported, error!);
        }
        var started = time.GetTimestamp();
        var launched = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var app = await FindApplicationAsync(parsed.AppName).ConfigureAwait(false);
            if (app is { } found)
            {
                _address = parsed;
                _app = found;
                Invalidate();
                var snapshot = await SnapshotAsync(fresh: true).ConfigureAwait(false);
                if (snapshot.MainWindow is not null)
                {
                    return UiResult<Done>.Success(Done.Value);
                }
            }
            else if (parsed.Command is { } command && !launched && _launched is null)
            {
                _launched = ApplicationCommand.Start(command, launchEnvironment, (message, cause) => cause is null
                    ? new AtSpiUnavailableException(message) : new AtSpiUnavailableException(message, cause));
                launched = true;
            }
            if (_launched is { HasExited: true } gone)
            {
                return UiResult<Done>.Fail(UiFailure.Disconnected,
                    $"the command started for application '{parsed.AppName}' exited with code {gone.ExitCode} before its window appeared");
            }
            if (time.GetElapsedTime(started) >= timeout)
            {
                return UiResult<Done>.Fail(UiFailure.NotFound,
                    $"application '{parsed.AppName}' did not show a window on the accessibility bus within {Seconds(timeout)}");
            }
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<UiResult<Done>> ClickAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        ActAsync(target, timeout, cancellationToken, async node =>
        {
            if (node.Role == "page tab" && node.Parent is { } tabs)
            {
                return await SelectChildAsync(tabs, node, target).ConfigureAwait(false);
            }
            return await DoPreferredActionAsync(node, ClickActions, target, "click").ConfigureAwait(false);
        });

    /// <inheritdoc />
    public Task<UiResult<Done>> FillAsync(UiTarget target, string value, TimeSpan timeout, CancellationToken cancellationToken) =>
        ActAsync(target, timeout, cancellationToken, async node =>
        {
            bool done;
            try
            {
                done = await bus.SetTextContentsAsync(node.Ref, value).ConfigureAwait(false);
            }
            catch (DBusErrorReplyException ex) when (ex.ErrorName.EndsWith("UnknownMethod", StringComparison.Ordinal))
            {
                return UiResult<Done>.Fail(UiFailure.Unsupported, $"target '{target}' is a {node.Role}, not an editable field");
            }
            return done ? UiResult<Done>.Success(Done.Value) : UiResult<Done>.Fail(UiFailure.Blocked, $"target '{target}' did not accept text (read-only or disabled)");
        });

    /// <inheritdoc />
    public Task<UiResult<Done>> SelectAsync(UiTarget target, string option, TimeSpan timeout, CancellationToken cancellationToken) =>
        ActAsync(target, timeout, cancellationToken, async node =>
        {
            switch (node.Role)
            {
                case "page tab" when node.Parent is { } tabs:
                    return await SelectChildAsync(tabs, node, target).ConfigureAwait(false);
                case "table" or "tree table":
                    var cells = await CellsAsync(node).ConfigureAwait(false);
                    var cell = Pick(cells.Where(c => AtSpiLocator.Matches(c.Name, option, exact: false)).ToList(), option);
                    if (cell is null)
                    {
                        return UiResult<Done>.Fail(UiFailure.NotFound, $"target '{target}' has no row with the option");
                    }
                    var index = await bus.GetIndexInParentAsync(cell.Ref).ConfigureAwait(false);
                    return await bus.SelectChildAsync(node.Ref, index).ConfigureAwait(false)
                        ? UiResult<Done>.Success(Done.Value)
                        : UiResult<Done>.Fail(UiFailure.Blocked, $"target '{target}' refused to select the row");
                default:
                    // Tab lists, lists and combo boxes: the option is a child (or, for a combo box, an item of its menu).
                    var options = node.Role == "combo box" ? node.Children.SelectMany(c => c.Children).ToList() : node.Children;
                    var choice = Pick(options.Where(c => AtSpiLocator.Matches(c.Name, option, exact: false)).ToList(), option);
                    if (choice is null)
                    {
                        return UiResult<Done>.Fail(UiFailure.NotFound, $"target '{target}' ({node.Role}) has no such option");
                    }
                    return node.Role == "combo box"
                        ? await DoPreferredActionAsync(choice, ClickActions, target, "select").ConfigureAwait(false)
                        : await SelectChildAsync(choice.Parent!, choice, target).ConfigureAwait(false);
            }
        });

    /// <inheritdoc />
    public async Task<UiResult<Done>> PressAsync(string key, UiTarget? target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (KeySym(key) is not { } keysym)
        {
            return UiResult<Done>.Fail(UiFailure.Unsupported, $"key '{key}' is not known (Enter, Tab, Escape, arrows, F1-F12 or one character)");
        }
        if (target is null)
        {
            if (_app is null)
            {
                return NoApplication<Done>();
            }
            await bus.PressKeySymAsync(keysym).ConfigureAwait(false);
            await AfterActionAsync().ConfigureAwait(false);
            return UiResult<Done>.Success(Done.Value);
        }
        return await ActAsync(target, timeout, cancellationToken, async node =>
        {
            // Enter on a field is its "activate" action: no keyboard focus or synthetic key needed.
            if (keysym == 0xff0d)
            {
                var actions = await TryActionNamesAsync(node).ConfigureAwait(false);
                if (actions.IndexOf("activate") is var activate and >= 0)
                {
                    return await bus.DoActionAsync(node.Ref, activate).ConfigureAwait(false)
                        ? UiResult<Done>.Success(Done.Value)
                        : UiResult<Done>.Fail(UiFailure.Blocked, $"target '{target}' refused Enter");
                }
            }
            await bus.GrabFocusAsync(node.Ref).ConfigureAwait(false);
            await bus.PressKeySymAsync(keysym).ConfigureAwait(false);
            return UiResult<Done>.Success(Done.Value);
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<UiResult<string>> ReadTextAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        WithTargetAsync<string>(target, timeout, cancellationToken, action: false, async node =>
        {
            string text;
            if (node.Role == "table cell")
            {
                text = node.Name;
            }
            else
            {
                try
                {
                    text = await bus.GetTextAsync(node.Ref).ConfigureAwait(false);
                }
                catch (DBusErrorReplyException ex) when (ex.ErrorName.EndsWith("UnknownMethod", StringComparison.Ordinal))
                {
                    text = node.Name;
                }
            }
            return await GoneAsync(node.Role == "table cell" ? node.Parent! : node).ConfigureAwait(false)
                ? null
                : UiResult<string>.Success(AtSpiLocator.Fold(text));
        });

    /// <inheritdoc />
    public Task<UiResult<UiTable>> ReadTableAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        WithTargetAsync<UiTable>(target, timeout, cancellationToken, action: false, async node =>
        {
            var table = node.Role is "table" or "tree table"
                ? node
                : _snapshot!.Nodes.FirstOrDefault(n => n.Showing && n.Role is "table" or "tree table" && n.Ancestors().Contains(node));
            if (table is null)
            {
                return UiResult<UiTable>.Fail(UiFailure.Unsupported, $"target '{target}' is a {node.Role} with no table in it");
            }
            var read = await TableAsync(table).ConfigureAwait(false);
            return await GoneAsync(table).ConfigureAwait(false) ? null : UiResult<UiTable>.Success(read);
        });

    /// <inheritdoc />
    public async Task<bool> IsVisibleAsync(UiTarget target, CancellationToken cancellationToken)
    {
        if (_app is null)
        {
            return false;
        }
        try
        {
            var snapshot = await SnapshotAsync(fresh: false).ConfigureAwait(false);
            return (await ResolveAsync(snapshot, target).ConfigureAwait(false)).Node is not null;
        }
        catch (DBusErrorReplyException)
        {
            Invalidate();
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<bool> ShowsTextAsync(string text, CancellationToken cancellationToken)
    {
        if (_app is null)
        {
            return false;
        }
        var snapshot = await SnapshotAsync(fresh: false).ConfigureAwait(false);
        return snapshot.Nodes.Any(n => n.Showing && (AtSpiLocator.Matches(n.Name, text, exact: false) ||
            (n.Description.Length > 0 && AtSpiLocator.Matches(n.Description, text, exact: false))));
    }

    /// <inheritdoc />
    public async Task<UiResult<Done>> AcceptDialogAsync(CancellationToken cancellationToken)
    {
        if (_app is null)
        {
            return NoApplication<Done>();
        }
        var snapshot = await SnapshotAsync(fresh: true).ConfigureAwait(false);
        if (snapshot.ModalDialog is not { } dialog)
        {
            return UiResult<Done>.Fail(UiFailure.NotFound, "no dialog is open");
        }
        var buttons = snapshot.Nodes.Where(n => n.Window == dialog && n.Showing && n.Role == "push button").ToList();
        var ok = buttons.FirstOrDefault(b => b.Name.Equals("OK", StringComparison.OrdinalIgnoreCase)) ?? buttons.LastOrDefault();
        if (ok is null)
        {
            return UiResult<Done>.Fail(UiFailure.NotFound, "the open dialog has no button");
        }
        var result = await DoPreferredActionAsync(ok, ClickActions, UiTarget.Of(new UiLocator(LocatorKind.Role, "button", "OK")), "accept").ConfigureAwait(false);
        await AfterActionAsync().ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    /// <exception cref="AtSpiUnavailableException">Always: the accessibility tree has no pixels.</exception>
    public Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken) =>
        throw new AtSpiUnavailableException("AT-SPI sessions take no screenshots: the accessibility tree has no pixels (use the pixel driver's capture).");

    /// <inheritdoc />
    public Task SaveTraceAsync(string? path, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_launched is { } process)
        {
            ApplicationCommand.Stop(process);
            _launched = null;
        }
        return ValueTask.CompletedTask;
    }

    private Task<UiResult<Done>> ActAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken, Func<AtNode, Task<UiResult<Done>>> act) =>
        WithTargetAsync<Done>(target, timeout, cancellationToken, action: true, async node =>
        {
            var result = await act(node).ConfigureAwait(false);
            await AfterActionAsync().ConfigureAwait(false);
            return result;
        });

    /// <summary>
    /// An action may change the screen, and GTK shows new widgets only after its next layout pass: the tree is read
    /// again until two reads a poll apart agree (bounded by <see cref="SettleLimit"/>), so <see cref="Location"/>,
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
                var shape = (await SnapshotAsync(fresh: true).ConfigureAwait(false)).Shape;
                if (shape == previous || time.GetElapsedTime(started) >= SettleLimit)
                {
                    return;
                }
                previous = shape;
            }
            catch (DBusErrorReplyException)
            {
                // Objects went away while the tree was read: the screen is still changing.
                previous = null;
            }
            await Task.Delay(Poll, time).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits (polling) until the target resolves, then runs <paramref name="work"/> on it. Actions are refused
    /// while a modal dialog covers the target's window, as they would be for a person. Work that returns null read
    /// an object the application has destroyed since (see <see cref="GoneAsync"/>): the target is looked up again.
    /// </summary>
    private async Task<UiResult<T>> WithTargetAsync<T>(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken, bool action,
        Func<AtNode, Task<UiResult<T>?>> work)
    {
        if (_app is null)
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
                var snapshot = await SnapshotAsync(fresh).ConfigureAwait(false);
                var (node, locator, ambiguous) = await ResolveAsync(snapshot, target).ConfigureAwait(false);
                if (node is null)
                {
                    failure = ambiguous ? UiFailure.Ambiguous : UiFailure.NotFound;
                    reason = $"target '{target}' {(ambiguous ? "matched several elements" : "not found")}: tried {string.Join("; ", target.Locators)}";
                }
                else if (action && snapshot.ModalDialog is { } modal && node.Window != modal)
                {
                    failure = UiFailure.Blocked;
                    reason = $"target '{target}' is covered by an open modal dialog";
                }
                else if (action && !(node.Has(AtSpiBus.StateSensitive) || node.Has(AtSpiBus.StateEnabled)))
                {
                    failure = UiFailure.Blocked;
                    reason = $"target '{target}' is disabled";
                }
                else if (await work(node).ConfigureAwait(false) is { } result)
                {
                    return result.Ok ? result with { Locator = locator } : result;
                }
                else
                {
                    failure = UiFailure.NotFound;
                    reason = $"target '{target}' went away while it was read";
                }
            }
            catch (DBusErrorReplyException)
            {
                // The object went away between the snapshot and the call: the screen changed under us.
                failure = UiFailure.NotFound;
                reason = $"target '{target}' went away while it was used";
            }
            catch (DBusConnectionClosedException)
            {
                return UiResult<T>.Fail(UiFailure.Disconnected, "the accessibility bus connection closed");
            }
            if (time.GetElapsedTime(started) >= timeout)
            {
                return UiResult<T>.Fail(failure, reason + $" (waited {Seconds(timeout)})");
            }
            fresh = true;
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first locator that resolves to exactly one object (or to its index) wins.</summary>
    private async Task<(AtNode? Node, int? Locator, bool Ambiguous)> ResolveAsync(AtSpiSnapshot snapshot, UiTarget target, AtSpiLocator? locatorOf = null)
    {
        locatorOf ??= new AtSpiLocator(bus, snapshot, CellsAsync);
        var ambiguous = false;
        for (var i = 0; i < target.Locators.Count; i++)
        {
            var locator = target.Locators[i];
            var matches = await locatorOf.ResolveAsync(locator).ConfigureAwait(false);
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
    private static AtNode? Pick(IReadOnlyList<AtNode> matches, string? wanted)
    {
        if (matches.Count == 1)
        {
            return matches[0];
        }
        if (wanted is null)
        {
            return null;
        }
        var whole = matches.Where(m => AtSpiLocator.Matches(m.Name, wanted, exact: true)).ToList();
        return whole.Count == 1 ? whole[0] : null;
    }

    private async Task<AtSpiSnapshot> SnapshotAsync(bool fresh)
    {
        if (fresh || _snapshot is null || time.GetElapsedTime(_snapshotTakenAt) > SnapshotLifetime)
        {
            _snapshot = await AtSpiSnapshot.TakeAsync(bus, _app!.Value).ConfigureAwait(false);
            _snapshotTakenAt = time.GetTimestamp();
            _cells.Clear();
            _tables.Clear();
            Location = ScreenAddress(_snapshot);
            OpenDialog = _snapshot.ModalDialog is { } dialog
                ? new UiDialog("message", AtSpiLocator.Fold(string.Join(" ", _snapshot.Nodes
                    .Where(n => n.Window == dialog && n.Role == "label" && n.Name.Length > 0).Select(n => n.Name))))
                : null;
        }
        return _snapshot;
    }

    private string ScreenAddress(AtSpiSnapshot snapshot)
    {
        if (snapshot.MainWindow is not { } window)
        {
            return "";
        }
        var tabs = snapshot.Nodes.Where(n => n.Window == window && n.Showing && n.Role == "page tab" && n.Has(AtSpiBus.StateSelected))
            .Select(n => "/" + AtSpiLocator.Fold(n.Name).Replace('#', ' ').Replace('?', ' '));
        return $"{AtSpiAddress.Scheme}{_address!.AppName}{string.Concat(tabs)}#{AtSpiLocator.Fold(window.Name)}";
    }

    private void Invalidate() => _snapshot = null;

    /// <summary>
    /// Whether the application destroyed the object's widget: its accessible object may linger and answer (a table
    /// with no columns, empty text) until it is released. A screen rebuilt after the last look (GTK activates a
    /// window's default button a moment after Enter, to show it pressed) leaves such objects behind.
    /// </summary>
    private async Task<bool> GoneAsync(AtNode node) =>
        (await bus.GetStateAsync(node.Ref).ConfigureAwait(false) & (1UL << AtSpiBus.StateDefunct)) != 0;

    /// <summary>A table's cells as objects of their own (role "table cell"), read once per snapshot.</summary>
    private async Task<IReadOnlyList<AtNode>> CellsAsync(AtNode table)
    {
        if (!_cells.TryGetValue(table.Ref.Path, out var cells))
        {
            await TableAsync(table).ConfigureAwait(false);
            cells = _cells[table.Ref.Path];
        }
        return cells;
    }

    /// <summary>
    /// Reads a table through the Table interface: the counts, then every header and cell reference in one
    /// pipelined batch, then every name in another.
    /// </summary>
    private async Task<UiTable> TableAsync(AtNode table)
    {
        if (_tables.TryGetValue(table.Ref.Path, out var known))
        {
            return known;
        }
        var rowCount = bus.GetTableCountAsync(table.Ref, "NRows");
        var columnCount = bus.GetTableCountAsync(table.Ref, "NColumns");
        var (rows, columns) = (await rowCount.ConfigureAwait(false), await columnCount.ConfigureAwait(false));
        var headerRefs = Enumerable.Range(0, columns).Select(c => bus.GetColumnHeaderAsync(table.Ref, c)).ToArray();
        var cellRefs = Enumerable.Range(0, rows * columns).Select(i => bus.GetAccessibleAtAsync(table.Ref, i / columns, i % columns)).ToArray();
        await Task.WhenAll(Task.WhenAll(headerRefs), Task.WhenAll(cellRefs)).ConfigureAwait(false);
        var headerNames = headerRefs.Select(h => h.Result.IsNull ? Task.FromResult("") : bus.GetNameAsync(h.Result)).ToArray();
        var cellNames = cellRefs.Select(c => c.Result.IsNull ? Task.FromResult("") : bus.GetNameAsync(c.Result)).ToArray();
        await Task.WhenAll(Task.WhenAll(headerNames), Task.WhenAll(cellNames)).ConfigureAwait(false);
        var headers = headerNames.Select(n => AtSpiLocator.Fold(n.Result)).ToList();
        var body = new List<IReadOnlyList<string>>(rows);
        var cells = new List<AtNode>(rows * columns);
        for (var r = 0; r < rows; r++)
        {
            var row = new List<string>(columns);
            for (var c = 0; c < columns; c++)
            {
                var i = (r * columns) + c;
                var text = AtSpiLocator.Fold(cellNames[i].Result);
                row.Add(text);
                cells.Add(new AtNode
                {
                    Ref = cellRefs[i].Result, Role = "table cell", Name = text, Description = "", AccessibleId = "",
                    States = table.States, ChildCount = 0, Order = table.Order, Parent = table,
                });
            }
            body.Add(row);
        }
        var result = new UiTable(headers.All(h => h.Length == 0) ? [] : headers, body);
        _tables[table.Ref.Path] = result;
        _cells[table.Ref.Path] = cells;
        return result;
    }

    private async Task<UiResult<Done>> SelectChildAsync(AtNode container, AtNode child, UiTarget target)
    {
        var index = await bus.GetIndexInParentAsync(child.Ref).ConfigureAwait(false);
        return await bus.SelectChildAsync(container.Ref, index).ConfigureAwait(false)
            ? UiResult<Done>.Success(Done.Value)
            : UiResult<Done>.Fail(UiFailure.Blocked, $"target '{target}' could not be selected");
    }

    private async Task<UiResult<Done>> DoPreferredActionAsync(AtNode node, string[] preferred, UiTarget target, string what)
    {
        var actions = await TryActionNamesAsync(node).ConfigureAwait(false);
        if (actions.Count == 0)
        {
            return UiResult<Done>.Fail(UiFailure.Unsupported, $"target '{target}' ({node.Role}) has no action to {what} it");
        }
        var index = preferred.Select(p => actions.FindIndex(a => a.Equals(p, StringComparison.OrdinalIgnoreCase))).FirstOrDefault(i => i >= 0, 0);
        return await bus.DoActionAsync(node.Ref, index).ConfigureAwait(false)
            ? UiResult<Done>.Success(Done.Value)
            : UiResult<Done>.Fail(UiFailure.Blocked, $"target '{target}' refused to {what}");
    }

    private async Task<List<string>> TryActionNamesAsync(AtNode node)
    {
        try
        {
            return await bus.GetActionNamesAsync(node.Ref).ConfigureAwait(false);
        }
        catch (DBusErrorReplyException ex) when (ex.ErrorName.EndsWith("UnknownMethod", StringComparison.Ordinal))
        {
            return [];
        }
    }

    private async Task<AtRef?> FindApplicationAsync(string name)
    {
        var apps = await bus.GetApplicationsAsync().ConfigureAwait(false);
        var names = apps.Select(async a =>
        {
            try
            {
                return await bus.GetNameAsync(new AtRef(a.Bus, AtSpiBus.RootPath)).ConfigureAwait(false);
            }
            catch (DBusErrorReplyException)
            {
                return "";
            }
        }).ToArray();
        await Task.WhenAll(names).ConfigureAwait(false);
        for (var i = 0; i < apps.Count; i++)
        {
            if (names[i].Result.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return new AtRef(apps[i].Bus, AtSpiBus.RootPath);
            }
        }
        return null;
    }

    private static UiResult<T> NoApplication<T>() =>
        UiResult<T>.Fail(UiFailure.Disconnected, "the session has no application yet: navigate to atspi://APP-NAME first");

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";

    /// <summary>The X keysym of a key name, or null.</summary>
    internal static int? KeySym(string key) => key.ToLowerInvariant() switch
    {
        "enter" or "return" => 0xff0d,
        "tab" => 0xff09,
        "escape" or "esc" => 0xff1b,
        "space" => 0x20,
        "backspace" => 0xff08,
        "delete" => 0xffff,
        "home" => 0xff50,
        "end" => 0xff57,
        "pageup" => 0xff55,
        "pagedown" => 0xff56,
        "arrowleft" or "left" => 0xff51,
        "arrowup" or "up" => 0xff52,
        "arrowright" or "right" => 0xff53,
        "arrowdown" or "down" => 0xff54,
        ['f', .. var n] when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var f) && f is >= 1 and <= 12 => 0xffbe + f - 1,
        _ when key.Length == 1 && key[0] <= 0xff => key[0],
        _ => null,
    };
}
