using System.Diagnostics;
using System.Globalization;
using RpaWorker.Drivers.Desktop.Display;
using RpaWorker.Drivers.Desktop.Pixel.Reading;
using RpaWorker.Ui;
using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;

namespace RpaWorker.Drivers.Desktop.Pixel;

/// <summary>A session on one window of a pixel screen. See <see cref="PixelUiDriver"/> for how it resolves and checks.</summary>
internal sealed partial class PixelUiSession : IUiSession
{
    // Second and third looks at one value or cell: on its own and enlarged more than the page reading, so each is an
    // independent reading rather than the same one again. Blocks, not lines, because a cell may wrap.
    private static readonly OcrRequest SecondLook = new() { Layout = OcrLayout.Block, Preprocessing = new OcrPreprocessing { Scale = 3 } };
    private static readonly OcrRequest ThirdLook = new() { Layout = OcrLayout.Block, Preprocessing = new OcrPreprocessing { Scale = 4 } };
    // A last look when the three disagree, segmented as one line at the page's scale: light grey text (a GTK list's
    // column headers) that the page reading and the 4x look both miss reads there as it does at 3x.
    private static readonly OcrRequest FourthLook = new() { Layout = OcrLayout.Line, Preprocessing = new OcrPreprocessing { Scale = 2 } };
    private static readonly OcrRequest[] Looks = [SecondLook, ThirdLook, FourthLook];

    private readonly PixelUiDriver _driver;
    private readonly PixelDriverOptions _options;
    private readonly UiSessionOptions _sessionOptions;
    private readonly ScreenWatcher _watcher;
    private readonly ReviewStore _review;
    private readonly TimeProvider _time;
    private ScreenWindow? _window;
    private ScreenText? _screen;
    private Process? _launched;

    public PixelUiSession(PixelUiDriver driver, UiSessionOptions sessionOptions)
    {
        _driver = driver;
        _options = driver.Options;
        _sessionOptions = sessionOptions;
        _time = _options.TimeProvider;
        _watcher = new ScreenWatcher(driver.Source, _options);
        _review = new ReviewStore(_options.ReviewFolder, _time);
    }

    public string Location { get; private set; } = "";

    /// <summary>Always null: a dialog drawn in the window is just more pixels.</summary>
    public UiDialog? OpenDialog => null;

    public async Task<UiResult<Done>> NavigateAsync(string address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (WindowSelector.TryParse(address, out var error) is not { } selector)
        {
            return UiResult<Done>.Fail(UiFailure.Unsupported,
                error ?? $"address '{address}' names no window: expected x11://TITLE, x11:window=TITLE, x11:id=0xID or a title");
        }
        var start = _time.GetTimestamp();
        var launched = false;
        while (true)
        {
            var matches = selector.Pick(await _driver.Source.ListWindowsAsync(cancellationToken));
            if (matches.Count == 0 && selector.Command is { } command && !launched && _launched is null)
            {
                _launched = ApplicationCommand.Start(command, _options.ApplicationEnvironment, (message, cause) => cause is null
                    ? new DisplayUnavailableException(message) : new DisplayUnavailableException(message, cause));
                launched = true;
            }
            if (matches.Count == 0 && _launched is { HasExited: true } gone)
            {
                return UiResult<Done>.Fail(UiFailure.Disconnected,
                    $"the command started for address {Describe(address)} exited with code {gone.ExitCode} before its window appeared");
            }
            if (matches.Count > 1)
            {
                return UiResult<Done>.Fail(UiFailure.Ambiguous, $"{matches.Count} windows match '{selector.Kind}' of address {Describe(address)}");
            }
            if (matches.Count == 1)
            {
                var window = matches[0];
                await _driver.InputGate.WaitAsync(cancellationToken);
                try
                {
                    if (!await _driver.Source.ActivateAsync(window, cancellationToken))
                    {
                        return UiResult<Done>.Fail(UiFailure.Disconnected, $"the window of address {Describe(address)} closed while it was being activated");
                    }
                    _driver.ActiveWindowId = window.Id;
                }
                finally
                {
                    _driver.InputGate.Release();
                }
                if (selector.Size is { } size && (window.Bounds.Width, window.Bounds.Height) != size)
                {
                    if (await ResizeAsync(window, size, start, timeout, cancellationToken) is not { } resized)
                    {
                        return UiResult<Done>.Fail(UiFailure.Unsupported,
                            $"the window of address {Describe(address)} could not be given size {size.Width}x{size.Height} (the screen source cannot resize it, or it is gone)");
                    }
                    window = resized;
                }
                _window = window;
                _screen = null;
                Location = address;
                var now = await _driver.Source.CaptureAsync(window, cancellationToken);
                if (now is null)
                {
                    return UiResult<Done>.Fail(UiFailure.Disconnected, $"the window of address {Describe(address)} is no longer shown");
                }
                await _watcher.SettleAsync(window, now, Remaining(start, timeout), cancellationToken);
                return UiResult<Done>.Success(Done.Value);
            }
            if (_time.GetElapsedTime(start) >= timeout)
            {
                return UiResult<Done>.Fail(UiFailure.NotFound, $"no window matching address {Describe(address)} appeared within {Seconds(timeout)}");
            }
            await Task.Delay(_options.PollInterval, _time, cancellationToken);
        }
    }

    // The application takes the new size in its own time: wait until the window has changed size (it may not reach
    // the size asked for: the screen or the application limits it), then the caller waits for it to be redrawn.
    private async Task<ScreenWindow?> ResizeAsync(ScreenWindow window, (int Width, int Height) size, long start, TimeSpan timeout, CancellationToken cancellationToken)
    {
        bool asked;
        await _driver.InputGate.WaitAsync(cancellationToken);
        try
        {
            asked = await _driver.Source.ResizeAsync(window, size.Width, size.Height, cancellationToken);
        }
        finally
        {
            _driver.InputGate.Release();
        }
        if (!asked)
        {
            return null;
        }
        while (true)
        {
            var now = (await _driver.Source.ListWindowsAsync(cancellationToken)).FirstOrDefault(w => w.Id == window.Id);
            if (now is null)
            {
                return null;
            }
            if (now.Bounds != window.Bounds || _time.GetElapsedTime(start) >= timeout)
            {
                return now;
            }
            await Task.Delay(_options.PollInterval, _time, cancellationToken);
        }
    }

    // The address is playbook text, but a title selector may have been rendered from patient data: name only its kind.
    private static string Describe(string address) => WindowSelector.Parse(address)?.Kind is "id" ? $"'{address}'" : "(a window title)";

    public async Task<UiResult<Done>> ClickAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        var found = await ResolveAsync(target, TargetUse.Click, timeout, wait: true, cancellationToken);
        if (found.Failure is { } failure)
        {
            return failure;
        }
        var (match, locator, screen) = found.Value;
        var before = screen.Capture;
        await ActAsync(() => _driver.Input.ClickAsync(before.Bounds.X + match.Box.CenterX, before.Bounds.Y + match.Box.CenterY, 1, cancellationToken), cancellationToken);
        var after = await _watcher.AfterActionAsync(_window!, before, expectChange: true, region: null,
            Remaining(start, timeout), Remaining(start, timeout), cancellationToken);
        if (after.Capture is null)
        {
            return Gone<Done>();
        }
        return after.Changed
            ? UiResult<Done>.Success(Done.Value, locator)
            : UiResult<Done>.Fail(UiFailure.Blocked,
                $"{target}: the screen did not change within {Seconds(timeout)} of clicking it (something may cover it, or it does not react to clicks)");
    }

    public async Task<UiResult<Done>> FillAsync(UiTarget target, string value, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var start = _time.GetTimestamp();
        var found = await ResolveAsync(target, TargetUse.Fill, timeout, wait: true, cancellationToken);
        if (found.Failure is { } failure)
        {
            return failure;
        }
        var (match, locator, screen) = found.Value;
        var field = match.Box;
        var bounds = screen.Capture.Bounds;
        // Click near the field's left end: inside it whatever its width, and clear of a clear-field button at the right.
        var x = bounds.X + field.X + Math.Min(8, Math.Max(1, field.Width / 3));
        var y = bounds.Y + field.CenterY;
        await ActAsync(async () =>
        {
            await _driver.Input.ClickAsync(x, y, 1, cancellationToken);
            await _driver.Input.PressAsync("Control+a", cancellationToken);
            await _driver.Input.PressAsync("Backspace", cancellationToken);
        }, cancellationToken);
        var now = await _driver.Source.CaptureAsync(_window!, cancellationToken);
        if (now is null)
        {
            return Gone<Done>();
        }
        var cleared = await _watcher.SettleAsync(_window!, now, Remaining(start, timeout), cancellationToken);
        if (cleared.Capture is null)
        {
            return Gone<Done>();
        }
        if (value.Length == 0)
        {
            return UiResult<Done>.Success(Done.Value, locator);
        }
        var typed = false;
        await ActAsync(async () => typed = await _driver.Input.TypeAsync(value, cancellationToken), cancellationToken);
        if (!typed)
        {
            return UiResult<Done>.Fail(UiFailure.Unsupported, $"{target}: the value holds a character the keyboard cannot type");
        }
        var after = await _watcher.AfterActionAsync(_window!, cleared.Capture, expectChange: true, region: field.Inflate(2, 2),
            Remaining(start, timeout), Remaining(start, timeout), cancellationToken);
        if (after.Capture is null)
        {
            return Gone<Done>();
        }
        return after.Changed
            ? UiResult<Done>.Success(Done.Value, locator)
            : UiResult<Done>.Fail(UiFailure.Blocked, $"{target}: typing changed nothing in the field (it may not have the keyboard focus)");
    }

    public async Task<UiResult<Done>> SelectAsync(UiTarget target, string option, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(option);
        var start = _time.GetTimestamp();
        var opened = await ClickAsync(target, timeout, cancellationToken);
        if (!opened.Ok)
        {
            return opened;
        }
        var optionTarget = UiTarget.Of(new UiLocator(LocatorKind.Text, option), $"{target} option");
        var chosen = await ClickAsync(optionTarget, Remaining(start, timeout), cancellationToken);
        return chosen.Ok
            ? UiResult<Done>.Success(Done.Value, opened.Locator)
            : UiResult<Done>.Fail(chosen.Failure!.Value, $"{target}: the option given was not shown after opening it ({chosen.Reason})");
    }

    public async Task<UiResult<Done>> PressAsync(string key, UiTarget? target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var start = _time.GetTimestamp();
        int? locator = null;
        if (target is not null)
        {
            var found = await ResolveAsync(target, TargetUse.Click, timeout, wait: true, cancellationToken);
            if (found.Failure is { } failure)
            {
                return failure;
            }
            var (match, index, screen) = found.Value;
            locator = index;
            await ActAsync(() => _driver.Input.ClickAsync(screen.Capture.Bounds.X + match.Box.CenterX, screen.Capture.Bounds.Y + match.Box.CenterY, 1, cancellationToken),
                cancellationToken);
        }
        if (_window is null)
        {
            return NoWindow<Done>();
        }
        var before = await _driver.Source.CaptureAsync(_window, cancellationToken);
        if (before is null)
        {
            return Gone<Done>();
        }
        var pressed = false;
        await ActAsync(async () => pressed = await _driver.Input.PressAsync(key, cancellationToken), cancellationToken);
        if (!pressed)
        {
            return UiResult<Done>.Fail(UiFailure.Unsupported, $"key '{key}' is not a key the pixel driver knows (e.g. Enter, Tab, Escape, Control+a)");
        }
        var after = await _watcher.AfterActionAsync(_window, before, expectChange: false, region: null, TimeSpan.Zero, Remaining(start, timeout), cancellationToken);
        return after.Capture is null ? Gone<Done>() : UiResult<Done>.Success(Done.Value, locator);
    }

    public async Task<UiResult<string>> ReadTextAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reading = await ReadCheckedAsync(target, UiValueCheck.None, timeout, cancellationToken);
        if (!reading.Ok)
        {
            return reading.As<string>();
        }
        return reading.Value!.Review is { } review
            ? UiResult<string>.Fail(UiFailure.Unverified, review)
            : UiResult<string>.Success(reading.Value.Text, reading.Locator);
    }

    public async Task<UiResult<UiReading>> ReadCheckedAsync(UiTarget target, UiValueCheck check, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var found = await ResolveAsync(target, TargetUse.Read, timeout, wait: true, cancellationToken);
        if (found.Failure is { } failure)
        {
            return failure.As<UiReading>();
        }
        var (match, index, screen) = found.Value;
        var text = Fold(match.Text);
        var confidence = match.Confidence;
        var reviews = new List<string>();
        if (match.Words.Count == 0 && screen.HasInk(match.Box))
        {
            // Something is drawn where the value goes but the page reading found no word there: read the cell alone.
            (text, confidence) = await ReadCropAsync(screen.Capture, match.Box.Inflate(-2, -2), SecondLook, cancellationToken);
            if (text.Length == 0)
            {
                reviews.Add("something is drawn there but OCR read no text");
            }
        }
        else if (_options.RereadValues && match.Words.Count > 0)
        {
            var (confirmed, agreed) = await ConfirmAsync(screen.Capture, match.Box.Inflate(2, 2), new Reading(text, confidence),
                Looks, cancellationToken);
            (text, confidence) = (confirmed.Text, confirmed.Confidence);
            if (!agreed)
            {
                reviews.Add("three OCR readings of it disagree");
            }
        }
        var locator = target.Locators[index];
        var pattern = check.Pattern ?? FieldPattern(locator);
        if (!(check with { Pattern = pattern }).Matches(text))
        {
            reviews.Add("it does not have the expected shape");
        }
        var minimum = check.MinConfidence ?? _options.MinConfidence;
        if (confidence < minimum)
        {
            reviews.Add(string.Create(CultureInfo.InvariantCulture, $"OCR confidence {confidence:0.00} is below {minimum:0.00}"));
        }
        string? review = null, evidence = null;
        if (reviews.Count > 0)
        {
            evidence = _review.Save(screen.Capture, match.Evidence);
            review = $"{check.Describe(target)}: {string.Join("; ", reviews)}; {PictureNote(evidence)}";
        }
        return UiResult<UiReading>.Success(new UiReading { Text = text, Confidence = confidence, Review = review, Evidence = evidence }, index);
    }

    // File names only: they hold a time and a sequence number, never what the picture shows.
    private static string PictureNote(string? evidence) =>
        evidence is null ? "no review folder is configured, so no picture was kept" : $"picture kept as {Path.GetFileName(evidence)}";

    /// <summary>One region read on its own, with a margin of its background around it: its text and weakest word's confidence.</summary>
    private async Task<Reading> ReadCropAsync(ScreenCapture capture, PixelRect region, OcrRequest request, CancellationToken cancellationToken)
    {
        var read = await _driver.Ocr.RecognizeAsync(CropOf(capture, region).Pad(8), request, cancellationToken);
        // A crop between column dividers can take in a divider: bars alone are lines, not text.
        var words = read.Words.Where(w => !TableReader.IsDivider(w)).ToList();
        return new Reading(Fold(string.Join(' ', words.Select(w => w.Text))), words.Count == 0 ? 0 : words.Min(w => w.Confidence));
    }

    // A region as it is read on its own. A cell on a dark bar (a selected row) is read as dark on light, cut to the bar:
    // the model reads that far more surely, and light margins beside the bar would become dark blocks.
    private static ScreenImage CropOf(ScreenCapture capture, PixelRect region)
    {
        var crop = capture.Image.Crop(region);
        return DarkBar(crop) is { } bar ? crop.Crop(bar).Inverted() : crop;
    }

    // The part of an image on a dark bar: its rows mostly darker than mid-grey, and the columns whose first and last of
    // those rows are dark (the bar's plain edges above and below the text: a glyph's stroke, light after all, must not
    // end the bar, or a cell's first letter would be cut in half). Null when its background is light.
    private static PixelRect? DarkBar(ScreenImage image)
    {
        var gray = image.ToGray();
        var rows = Enumerable.Range(0, gray.Height).Where(y => Enumerable.Range(0, gray.Width).Count(x => gray[x, y] < 128) * 2 > gray.Width).ToList();
        if (rows.Count * 2 <= gray.Height)
        {
            return null;
        }
        var columns = Enumerable.Range(0, gray.Width).Where(x => gray[x, rows[0]] < 128 && gray[x, rows[^1]] < 128).ToList();
        if (columns.Count * 2 <= gray.Width)
        {
            return null;
        }
        return PixelRect.FromEdges(columns[0], rows[0], columns[^1] + 1, rows[^1] + 1);
    }

    /// <summary>A text as one reading gave it, with its weakest word's confidence.</summary>
    private sealed record Reading(string Text, double Confidence);

    /// <summary>
    /// Confirms a reading with further readings of the region alone, one look at a time, until two readings agree (see
    /// <see cref="Agreement"/>): the agreed text wins with the higher confidence of those that agree, since two
    /// independent readings agreeing is worth more than either. When none agree, or another reading differs from the
    /// agreed text in letter case alone, the result is not agreed, and scores 0 so it is never used unchecked.
    /// </summary>
    private async Task<(Reading Result, bool Agreed)> ConfirmAsync(ScreenCapture capture, PixelRect region,
        Reading first, IEnumerable<OcrRequest> looks, CancellationToken cancellationToken)
    {
        var readings = new List<Reading> { first };
        foreach (var look in looks)
        {
            readings.Add(await ReadCropAsync(capture, region, look, cancellationToken));
            if (Agreement(readings) is { } agreed)
            {
                // Two readings that agree are outvoted by none that differs from them in letter case alone: that is a
                // glyph the font draws alike in both cases ("Ibuprofen" at the start of a crop reads "ibuprofen" in
                // every look, since the model's word list has it so), and which one is right cannot be told.
                var text = Compact(agreed.Text);
                return readings.Any(r => !string.Equals(Compact(r.Text), text, StringComparison.Ordinal) &&
                        string.Equals(Compact(r.Text), text, StringComparison.OrdinalIgnoreCase))
                    ? (agreed with { Confidence = 0 }, false)
                    : (agreed, true);
            }
        }
        return (readings[^1] with { Confidence = 0 }, false);
    }

    // Readings agree when they have the same characters; they may still space them differently. OCR runs words together
    // far more often than it splits one, so the spacing with the most words is taken.
    private static Reading? Agreement(List<Reading> readings) =>
        readings.Where(r => r.Text.Length > 0)
            .GroupBy(r => Compact(r.Text))
            .Where(g => g.Count() >= 2)
            .Select(g => new Reading(g.OrderByDescending(r => r.Text.Count(char.IsWhiteSpace)).ThenByDescending(r => r.Confidence).First().Text,
                g.Max(r => r.Confidence)))
            .FirstOrDefault();

    private string? FieldPattern(UiLocator locator) =>
        locator.Kind is LocatorKind.RightOf or LocatorKind.Below or LocatorKind.Label
            ? _options.FieldPatterns.FirstOrDefault(p => TextMatch.Rank(p.Key, locator.Value, exact: true, labelLike: true) is not null).Value
            : null;

    public async Task<UiResult<UiTable>> ReadTableAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var read = await ReadCheckedTableAsync(target, timeout, cancellationToken);
        if (!read.Ok)
        {
            return read.As<UiTable>();
        }
        var doubtful = read.Value!.Doubtful;
        if (doubtful.Count == 0)
        {
            return UiResult<UiTable>.Success(read.Value.Table, read.Locator);
        }
        return UiResult<UiTable>.Fail(UiFailure.Unverified, string.Create(CultureInfo.InvariantCulture,
            $"{target}: {doubtful.Count} cell(s) cannot be trusted as read (first: {doubtful[0].Review})"));
    }

    public async Task<UiResult<UiCheckedTable>> ReadCheckedTableAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var start = _time.GetTimestamp();
        while (true)
        {
            var (screen, failure) = await ScreenAsync(cancellationToken);
            if (screen is null)
            {
                return failure!.Value.As<UiCheckedTable>();
            }
            string? unsupported = null;
            var ambiguous = false;
            for (var i = 0; i < target.Locators.Count; i++)
            {
                var locator = target.Locators[i];
                if (locator.Kind is not (LocatorKind.NearHeading or LocatorKind.Text or LocatorKind.OcrText))
                {
                    unsupported ??= $"{locator}: the pixel driver finds tables by near_heading, or by a header cell's text or ocr_text";
                    continue;
                }
                var tables = PhraseFinder.Find(screen, locator.Value, locator.Exact, labelLike: false)
                    .Select(anchor => TableReader.Read(screen, anchor, anchorIsHeading: locator.Kind == LocatorKind.NearHeading))
                    .OfType<OcrTable>()
                    .ToList();
                if (Pick(tables, locator, ref ambiguous) is { } table)
                {
                    return await ReadScrolledTableAsync(target, i, table, screen, cancellationToken);
                }
            }
            if (unsupported is not null && target.Locators.All(l => l.Kind is not (LocatorKind.NearHeading or LocatorKind.Text or LocatorKind.OcrText)))
            {
                return UiResult<UiCheckedTable>.Fail(UiFailure.Unsupported, unsupported);
            }
            if (ambiguous)
            {
                return UiResult<UiCheckedTable>.Fail(UiFailure.Ambiguous, $"{target}: several tables match and the locator gives no index");
            }
            if (_time.GetElapsedTime(start) >= timeout)
            {
                return UiResult<UiCheckedTable>.Fail(UiFailure.NotFound, $"{target}: no table found within {Seconds(timeout)} (tried {Tried(target)})");
            }
            await Task.Delay(_options.PollInterval, _time, cancellationToken);
        }
    }

    /// <summary>
    /// Reads a table whose rows may go on below what its list shows: after each screenful the list is scrolled with the
    /// mouse wheel over its rows, the distance it moved is measured from the pixels (<see cref="ScrollShift"/>), and only
    /// the rows that came into view are read, until scrolling moves nothing. A screenful's last row may be cut off by the
    /// list's edge, so it is left for the next screenful unless the list has ended. A list that moved in a way that
    /// cannot be lined up (it jumped further than a screenful, or redrew) fails the read rather than skip or repeat rows.
    /// </summary>
    private async Task<UiResult<UiCheckedTable>> ReadScrolledTableAsync(UiTarget target, int index, OcrTable first, ScreenText screen,
        CancellationToken cancellationToken)
    {
        var locator = target.Locators[index];
        var heading = locator.Kind == LocatorKind.NearHeading;
        var headers = first.Headers;
        var rows = new List<IReadOnlyList<string>>();
        var doubtful = new List<UiDoubtfulCell>();
        IReadOnlyList<string> headerTexts = [];
        var (page, pageScreen) = (first, screen);
        var below = int.MinValue;   // rows of this page above this line were read on an earlier one
        var perNotch = 0;
        for (var pages = 0; ; pages++)
        {
            var fresh = page.Rows.Where(r => RowBox(r).Y >= below).ToList();
            // The rows, less the list's right edge, where an overlay scroll bar shows while the list moves.
            var rowsBox = page.Rows.Count == 0 ? default : RowBox(page.Rows[0]).Union(RowBox(page.Rows[^1]));
            var body = PixelRect.FromEdges(rowsBox.X, rowsBox.Y, Math.Max(rowsBox.X + 1, rowsBox.Right - ScrollBarWidth), rowsBox.Bottom);
            ScreenCapture? moved = null;
            int shift = 0;
            if (page.Rows.Count >= 2 && pages < MaxScrolledPages && _window is not null)
            {
                var notches = perNotch == 0 ? 1 : Math.Max(1, (int)(body.Height * 0.6 / perNotch));
                var before = pageScreen.Capture;
                var scrolled = false;
                await ActAsync(async () => scrolled = await _driver.Input.ScrollAsync(before.Bounds.X + body.CenterX, before.Bounds.Y + body.CenterY,
                    notches, cancellationToken), cancellationToken);
                if (scrolled)
                {
                    var after = await _watcher.AfterActionAsync(_window, before, expectChange: true, region: body, ScrollWait, _sessionOptions.DefaultTimeout,
                        cancellationToken);
                    if (after.Capture is null)
                    {
                        return Gone<UiCheckedTable>();
                    }
                    if (after.Changed)
                    {
                        if (ScrollShift.Find(before.Image.ToGray(), after.Capture.Image.ToGray(), body) is not { } found)
                        {
                            return UiResult<UiCheckedTable>.Fail(UiFailure.Unverified,
                                $"{target}: the list scrolled, but its rows could not be lined up with those already read (after {rows.Count} rows)");
                        }
                        (moved, shift) = (after.Capture, found);
                        perNotch = Math.Max(1, found / notches);
                    }
                }
            }
            if (moved is not null && fresh.Count > 0)
            {
                fresh.RemoveAt(fresh.Count - 1);
            }
            var part = await CheckTableAsync(target, new OcrTable(headers, fresh), pageScreen, cancellationToken);
            if (pages == 0)
            {
                headerTexts = part.Table.Headers;
            }
            doubtful.AddRange(part.Doubtful.Where(d => d.Row >= 0 || pages == 0).Select(d => d.Row < 0 ? d : d with { Row = d.Row + rows.Count }));
            rows.AddRange(part.Table.Rows);
            if (moved is null)
            {
                return UiResult<UiCheckedTable>.Success(new UiCheckedTable(new UiTable(headerTexts, rows), doubtful), index);
            }
            below = (fresh.Count > 0 ? RowBox(fresh[^1]).Bottom : below) - shift - 2;
            var (next, failure) = await ScreenAsync(cancellationToken);
            if (next is null)
            {
                return failure!.Value.As<UiCheckedTable>();
            }
            // A list view's header stays put while its rows scroll: the rows are read under the same columns. A table
            // ruled row by row is found again (its header may have scrolled with it).
            OcrTable? table;
            if (first.Layout is { } layout)
            {
                table = first with { Rows = TableReader.ReadBody(next, layout) };
            }
            else
            {
                var ambiguous = false;
                table = Pick(PhraseFinder.Find(next, locator.Value, locator.Exact, labelLike: false)
                    .Select(anchor => TableReader.Read(next, anchor, anchorIsHeading: heading))
                    .OfType<OcrTable>()
                    .ToList(), locator, ref ambiguous);
            }
            if (table is null || table.Headers.Count != headers.Count)
            {
                return UiResult<UiCheckedTable>.Fail(UiFailure.Unverified,
                    $"{target}: the list scrolled, and then its table could not be found again (after {rows.Count} rows)");
            }
            (page, pageScreen) = (table, next);
        }
    }

    private static PixelRect RowBox(IReadOnlyList<OcrCell> row) => row.Aggregate(default(PixelRect), (box, c) => box.Union(c.Box));

    // How long a list gets to move after a turn of the wheel; one that has reached its end does not move at all.
    private static readonly TimeSpan ScrollWait = TimeSpan.FromSeconds(1);
    private const int MaxScrolledPages = 500;
    private const int ScrollBarWidth = 24;

    /// <summary>
    /// Confirms every cell (see <see cref="ConfirmCellsAsync"/>) and lists the body cells that stay doubtful: readings
    /// that do not agree, or agree with low confidence. Each doubtful cell's picture is kept for the reviewer.
    /// </summary>
    private async Task<UiCheckedTable> CheckTableAsync(UiTarget target, OcrTable read, ScreenText screen, CancellationToken cancellationToken)
    {
        var (table, agreed, misdrawn) = await ConfirmCellsAsync(read, screen, cancellationToken);
        var doubtful = new List<UiDoubtfulCell>();
        // Row -1 is the header row: headers can be data (a flowsheet's dates of service).
        for (var r = -1; r < table.Rows.Count; r++)
        {
            var row = r < 0 ? table.Headers : table.Rows[r];
            for (var c = 0; c < row.Count; c++)
            {
                var cell = row[c];
                var reasons = new List<string>();
                if (!agreed.Contains(cell))
                {
                    reasons.Add("OCR readings of it disagree");
                }
                if (misdrawn.Contains(cell))
                {
                    reasons.Add("a letter is not drawn as OCR read it");
                }
                if (cell.Confidence < _options.MinConfidence)
                {
                    reasons.Add(string.Create(CultureInfo.InvariantCulture, $"OCR confidence {cell.Confidence:0.00} is below {_options.MinConfidence:0.00}"));
                }
                if (reasons.Count > 0)
                {
                    // Columns by number: a header can be screen data too (a flowsheet's dates of service).
                    var evidence = _review.Save(screen.Capture, cell.Box);
                    var where = r < 0 ? "header" : $"row {r + 1}";
                    doubtful.Add(new UiDoubtfulCell(r, c, $"{target}: {where}, column {c + 1}: {string.Join("; ", reasons)}; {PictureNote(evidence)}", evidence)
                    {
                        ReadingsAgree = agreed.Contains(cell) && !misdrawn.Contains(cell),
                    });
                }
            }
        }
        return new UiCheckedTable(table.ToUiTable(), doubtful);
    }

    /// <summary>
    /// Every cell with text is confirmed by reading it again on its own (see <see cref="ConfirmAsync"/>); a cell that
    /// looks empty but has ink in it is read on its own. Cells are read in parallel, as many at once as there are OCR
    /// engines. Returns the table and the cells whose readings agreed (or that are truly empty).
    /// </summary>
    private async Task<(OcrTable Table, HashSet<OcrCell> Agreed, HashSet<OcrCell> Misdrawn)> ConfirmCellsAsync(OcrTable table, ScreenText screen,
        CancellationToken cancellationToken)
    {
        var agreed = new HashSet<OcrCell>(ReferenceEqualityComparer.Instance);
        var misdrawn = new HashSet<OcrCell>(ReferenceEqualityComparer.Instance);
        var gate = new Lock();
        async Task<OcrCell> Confirm(OcrCell cell)
        {
            OcrCell result;
            bool ok;
            if (cell.Text.Length == 0 && !screen.HasInk(cell.Box))
            {
                (result, ok) = (cell, true);
            }
            else if (!_options.RereadValues)
            {
                (result, ok) = (cell, cell.Text.Length > 0);
            }
            else
            {
                // An empty-looking cell with ink has no first reading to confirm: it needs two looks of its own to agree.
                var region = ConfirmRegion(cell);
                var (confirmed, agreedOn) = await ConfirmAsync(screen.Capture, region, new Reading(cell.Text, cell.Confidence),
                    Looks, cancellationToken);
                (result, ok) = (cell with { Text = confirmed.Text, Confidence = confirmed.Confidence }, agreedOn);
                if (ok && ((result.Text.StartsWith('i') && Glyphs.FirstIsDotted(CropOf(screen.Capture, region)) == false) || CaseContradicted(screen, cell, result.Text)))
                {
                    lock (gate)
                    {
                        misdrawn.Add(result);
                    }
                }
            }
            if (ok)
            {
                lock (gate)
                {
                    agreed.Add(result);
                }
            }
            return result;
        }
        var headers = await Task.WhenAll(table.Headers.Select(Confirm));
        var rows = await Task.WhenAll(table.Rows.Select(async row => (IReadOnlyList<OcrCell>)await Task.WhenAll(row.Select(Confirm))));
        return (new OcrTable(headers, rows), agreed, misdrawn);
    }

    // Whether the page reading's words in a cell, when they are what was agreed, show a letter drawn in the other case
    // than read (see Glyphs.CaseContradicted): the words' boxes are on the screen, so each glyph can be measured.
    private static bool CaseContradicted(ScreenText screen, OcrCell cell, string agreed)
    {
        var words = screen.Words.Where(w => cell.Box.Contains(w.Box.CenterX, w.Box.CenterY) && !TableReader.IsDivider(w))
            .OrderBy(w => w.Line).ThenBy(w => w.Box.X).ToList();
        return string.Equals(string.Concat(words.Select(w => w.Text)), Compact(agreed), StringComparison.Ordinal) &&
            words.Any(w => Glyphs.CaseContradicted(screen.Gray, w));
    }

    // A cell is read again inside its edges (a divider drawn on an edge is not text), but no narrower than the glyphs
    // the page reading saw in it: a unit that starts at its column's edge ("/min") keeps the foot of its slash. The
    // page reading's boxes can be wrong (a misread word two lines tall), so they only widen the crop within the cell.
    private static PixelRect ConfirmRegion(OcrCell cell)
    {
        var inner = cell.Box.Inflate(-2, -2);
        if (cell.Ink.IsEmpty)
        {
            return inner;
        }
        var left = Math.Max(cell.Box.X, Math.Min(inner.X, cell.Ink.X - 1));
        var right = Math.Min(cell.Box.Right, Math.Max(inner.Right, cell.Ink.Right + 1));
        return PixelRect.FromEdges(left, inner.Y, right, inner.Bottom);
    }

    public async Task<bool> IsVisibleAsync(UiTarget target, CancellationToken cancellationToken)
    {
        var found = await ResolveAsync(target, TargetUse.Click, TimeSpan.Zero, wait: false, cancellationToken);
        return found.Failure is null;
    }

    public async Task<bool> ShowsTextAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (screen, _) = await ScreenAsync(cancellationToken);
        if (screen is null)
        {
            return false;
        }
        var wanted = TextMatch.Normalize(text, labelLike: false);
        return PhraseFinder.Find(screen, text, exact: false, labelLike: false).Count > 0 ||
            screen.Lines.Any(l => string.Join(' ', l.Words.Select(w => w.Text)).Contains(wanted, StringComparison.OrdinalIgnoreCase));
    }

    public Task<UiResult<Done>> AcceptDialogAsync(CancellationToken cancellationToken) =>
        Task.FromResult(UiResult<Done>.Fail(UiFailure.Unsupported,
            "the pixel driver cannot tell a native dialog from the rest of the window: click its button by text"));

    /// <summary>A PNG of the selected window; empty when no window is selected or it is gone.</summary>
    public async Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken)
    {
        if (_window is null)
        {
            return [];
        }
        var capture = await _driver.Source.CaptureAsync(_window, cancellationToken);
        return capture is null ? [] : Png.Encode(capture.Image);
    }

    /// <summary>
    /// Saves what the window shows now, as a zip: <c>screen.png</c> (the capture) and <c>ocr.txt</c> (the words the last
    /// reading found, a line of the screen per line, each word with its box and confidence): what a playbook engineer
    /// needs to see why a target was not found. Nothing is kept between calls, so a discarded part costs nothing.
    /// </summary>
    public async Task SaveTraceAsync(string? path, CancellationToken cancellationToken)
    {
        if (path is null || !_sessionOptions.Trace || _window is null)
        {
            return;
        }
        var capture = await _driver.Source.CaptureAsync(_window, cancellationToken);
        if (capture is null)
        {
            return;
        }
        var screen = _screen is { } known && !_watcher.Differs(known.Capture, capture, null)
            ? known
            : new ScreenText(capture, await ReadPageAsync(capture.Image, cancellationToken));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await using var zip = new System.IO.Compression.ZipArchive(file, System.IO.Compression.ZipArchiveMode.Create);
        await using (var png = await zip.CreateEntry("screen.png").OpenAsync(cancellationToken))
        {
            await png.WriteAsync(Png.Encode(capture.Image), cancellationToken);
        }
        await using var text = new StreamWriter(await zip.CreateEntry("ocr.txt").OpenAsync(cancellationToken));
        foreach (var line in screen.Lines)
        {
            await text.WriteLineAsync(string.Join("  ", line.Words.Select(w =>
                string.Create(CultureInfo.InvariantCulture, $"{w.Text} [{w.Box.X},{w.Box.Y} {w.Box.Width}x{w.Box.Height} {w.Confidence:0.00}]"))));
        }
    }

    /// <summary>Ends the application this session started (<c>?exec=</c>), if any.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _launched, null) is { } process)
        {
            ApplicationCommand.Stop(process);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Runs synthetic input for this session's window: one session at a time, re-activating the window when another
    /// session's input went elsewhere since.
    /// </summary>
    private async Task ActAsync(Func<Task> input, CancellationToken cancellationToken)
    {
        await _driver.InputGate.WaitAsync(cancellationToken);
        try
        {
            if (_driver.ActiveWindowId != _window!.Id)
            {
                await _driver.Source.ActivateAsync(_window, cancellationToken);
                _driver.ActiveWindowId = _window.Id;
            }
            await input();
        }
        finally
        {
            _driver.InputGate.Release();
        }
    }

    private readonly record struct Found(TargetMatch Match, int Locator, ScreenText Screen);

    /// <summary>
    /// Polls the window until a locator of the target resolves to one match (or to its index): the first that does wins.
    /// Several matches without an index are Ambiguous as soon as no locator resolves; waiting does not make them fewer.
    /// </summary>
    private async Task<(Found Value, UiResult<Done>? Failure)> ResolveAsync(UiTarget target, TargetUse use, TimeSpan timeout, bool wait,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var start = _time.GetTimestamp();
        while (true)
        {
            var (screen, failure) = await ScreenAsync(cancellationToken);
            if (screen is null)
            {
                return (default, failure);
            }
            string? unsupported = null;
            var supported = false;
            var ambiguous = false;
            for (var i = 0; i < target.Locators.Count; i++)
            {
                var (matches, reason) = TargetResolver.Resolve(screen, target.Locators[i], use);
                if (reason is not null)
                {
                    unsupported ??= reason;
                    continue;
                }
                supported = true;
                if (Pick(matches, target.Locators[i], ref ambiguous) is { } match)
                {
                    return (new Found(match, i, screen), null);
                }
            }
            if (!supported)
            {
                return (default, UiResult<Done>.Fail(UiFailure.Unsupported, unsupported!));
            }
            if (ambiguous)
            {
                return (default, UiResult<Done>.Fail(UiFailure.Ambiguous, $"{target}: several places on the screen match and the locator gives no index (tried {Tried(target)})"));
            }
            if (!wait || _time.GetElapsedTime(start) >= timeout)
            {
                return (default, UiResult<Done>.Fail(UiFailure.NotFound, $"{target}: not found on the screen within {Seconds(timeout)} (tried {Tried(target)})"));
            }
            await Task.Delay(_options.PollInterval, _time, cancellationToken);
        }
    }

    private static T? Pick<T>(List<T> matches, UiLocator locator, ref bool ambiguous) where T : class
    {
        if (locator.Index is { } index)
        {
            return index >= 0 && index < matches.Count ? matches[index] : null;
        }
        ambiguous |= matches.Count > 1;
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>
    /// The window's text now: captured once it holds still for a poll interval (a page half drawn is not worth reading),
    /// and read by OCR unless it looks as it did at the last reading.
    /// </summary>
    private async Task<(ScreenText? Screen, UiResult<Done>? Failure)> ScreenAsync(CancellationToken cancellationToken)
    {
        if (_window is null)
        {
            return (null, NoWindow<Done>());
        }
        var capture = await _driver.Source.CaptureAsync(_window, cancellationToken);
        if (capture is null)
        {
            return (null, Gone<Done>());
        }
        if (_screen is { } known && !_watcher.Differs(known.Capture, capture, null))
        {
            return (known, null);
        }
        var steady = await _watcher.SettleAsync(_window, capture, _sessionOptions.DefaultTimeout, cancellationToken);
        if (steady.Capture is null)
        {
            return (null, Gone<Done>());
        }
        var ocr = await ReadPageAsync(steady.Capture.Image, cancellationToken);
        _screen = new ScreenText(steady.Capture, ocr);
        return (_screen, null);
    }

    /// <summary>
    /// OCR of the whole window, with the bands the page layout garbled read again on their own (<see cref="GarbledBands"/>),
    /// then the words it doubts (<see cref="DoubtfulWords"/>).
    /// </summary>
    private async Task<OcrResult> ReadPageAsync(ScreenImage image, CancellationToken cancellationToken)
    {
        var page = await _driver.Ocr.RecognizeAsync(image, OcrRequest.Screen, cancellationToken);
        var words = page.Words;
        var elapsed = page.Elapsed;
        foreach (var band in GarbledBands.Find(words, image.ToGray()))
        {
            var reread = await _driver.Ocr.RecognizeAsync(image, OcrRequest.Screen with { Region = band }, cancellationToken);
            words = GarbledBands.Replace(words, band, reread.Words);
            elapsed += reread.Elapsed;
        }
        foreach (var (word, crop) in DoubtfulWords.Find(words, image.Bounds))
        {
            var reread = await _driver.Ocr.RecognizeAsync(image, OcrRequest.Screen with { Region = crop, Layout = OcrLayout.Line }, cancellationToken);
            words = DoubtfulWords.Replace(words, word, crop, reread.Words);
            elapsed += reread.Elapsed;
        }
        return ReferenceEquals(words, page.Words) ? page : new OcrResult(words, elapsed);
    }

    private TimeSpan Remaining(long start, TimeSpan timeout)
    {
        var left = timeout - _time.GetElapsedTime(start);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private static UiResult<T> NoWindow<T>() =>
        UiResult<T>.Fail(UiFailure.NotFound, "no window is selected: navigate to one first (x11:window=TITLE)");

    private static UiResult<T> Gone<T>() =>
        UiResult<T>.Fail(UiFailure.Disconnected, "the window closed or is no longer shown");

    private static string Tried(UiTarget target) => string.Join(", ", target.Locators);

    private static string Seconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.#} s");

    private static string Fold(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
