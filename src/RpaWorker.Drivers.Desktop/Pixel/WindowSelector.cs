using RpaWorker.Drivers.Desktop.Display;

namespace RpaWorker.Drivers.Desktop.Pixel;

/// <summary>
/// Which window an address names: <c>x11:window=TEXT</c>, <c>window=TEXT</c> or plain TEXT (by title), or
/// <c>x11:id=0x…</c> / <c>id=0x…</c> (by window id); or, in URL form, <c>x11://TITLE</c> (URL-encoded, '+' for a
/// space) with an optional <c>?exec=COMMAND</c>: the command that starts the application when no such window is shown,
/// and an optional <c>size=WIDTHxHEIGHT</c>: the size the window is given when it has another.
/// </summary>
/// <param name="Kind">"window" (by title) or "id".</param>
/// <param name="Value">The title text or the window id.</param>
/// <param name="Command">The program and arguments that start the application, or null.</param>
/// <param name="Size">The window's size in pixels (width, height) the screens are read at, or null to leave it as it is.</param>
internal sealed record WindowSelector(string Kind, string Value, IReadOnlyList<string>? Command = null, (int Width, int Height)? Size = null)
{
    private const string SizeParameter = "size=WIDTHxHEIGHT";

    /// <summary>The URL form's scheme.</summary>
    public const string Scheme = "x11://";

    /// <summary>The selector, or null when the address names nothing (empty, or an empty title or id).</summary>
    public static WindowSelector? Parse(string address) => TryParse(address, out _);

    /// <summary>The selector, or null with what is wrong (null when the address is simply empty).</summary>
    public static WindowSelector? TryParse(string address, out string? error)
    {
        error = null;
        var rest = address.Trim();
        if (rest.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[Scheme.Length..];
            var query = rest.IndexOf('?', StringComparison.Ordinal);
            var title = Uri.UnescapeDataString((query < 0 ? rest : rest[..query]).Replace('+', ' ')).Trim();
            var parameters = query < 0 ? "" : rest[(query + 1)..];
            var command = ApplicationCommand.Parse(parameters, "X11", [SizeParameter], out error);
            var size = error is null ? ParseSize(parameters, out error) : null;
            if (error is not null)
            {
                return null;
            }
            if (title.Length == 0)
            {
                error = "the X11 address names no window title (x11://TITLE)";
                return null;
            }
            return new WindowSelector("window", title, command, size);
        }
        if (rest.StartsWith("x11:", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[4..];
        }
        foreach (var kind in new[] { "window", "id" })
        {
            if (rest.StartsWith(kind + "=", StringComparison.OrdinalIgnoreCase))
            {
                var value = rest[(kind.Length + 1)..].Trim();
                return value.Length == 0 ? null : new WindowSelector(kind, value);
            }
        }
        return rest.Length == 0 || rest.Contains('=') ? null : new WindowSelector("window", rest);
    }

    // size=1900x1040: both at least 100 (smaller is a typo, not a screen a person reads).
    private static (int Width, int Height)? ParseSize(string parameters, out string? error)
    {
        error = null;
        (int, int)? size = null;
        foreach (var pair in parameters.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!pair.StartsWith("size=", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var parts = pair[5..].Split('x', 'X');
            if (parts.Length != 2 || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var width) ||
                !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var height) ||
                width < 100 || height < 100 || width > 16384 || height > 16384)
            {
                error = $"size= in the X11 address must be WIDTHxHEIGHT in pixels, each from 100 to 16384 (e.g. size=1900x1040), not '{pair[5..]}'";
                return null;
            }
            size = (width, height);
        }
        return size;
    }

    /// <summary>
    /// The windows it names: by id, the one with that id; by title, the ones whose title is the text (ignoring case),
    /// else the ones whose title contains it.
    /// </summary>
    public List<ScreenWindow> Pick(IReadOnlyList<ScreenWindow> windows)
    {
        if (Kind == "id")
        {
            return windows.Where(w => string.Equals(w.Id, Value, StringComparison.OrdinalIgnoreCase)).ToList();
        }
        var same = windows.Where(w => string.Equals(w.Title.Trim(), Value, StringComparison.OrdinalIgnoreCase)).ToList();
        return same.Count > 0 ? same : windows.Where(w => w.Title.Contains(Value, StringComparison.OrdinalIgnoreCase)).ToList();
    }
}
