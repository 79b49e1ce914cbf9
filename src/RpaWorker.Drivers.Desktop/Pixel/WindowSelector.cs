using RpaWorker.Drivers.Desktop.Display;

namespace RpaWorker.Drivers.Desktop.Pixel;

/// <summary>
/// Which window an address names: <c>x11:window=TEXT</c>, <c>window=TEXT</c> or plain TEXT (by title), or
/// <c>x11:id=0x…</c> / <c>id=0x…</c> (by window id); or, in URL form, <c>x11://TITLE</c> (URL-encoded, '+' for a
/// space) with an optional <c>?exec=COMMAND</c>: the command that starts the application when no such window is shown.
/// </summary>
/// <param name="Kind">"window" (by title) or "id".</param>
/// <param name="Value">The title text or the window id.</param>
/// <param name="Command">The program and arguments that start the application, or null.</param>
internal sealed record WindowSelector(string Kind, string Value, IReadOnlyList<string>? Command = null)
{
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
            var command = query < 0 ? null : ApplicationCommand.Parse(rest[(query + 1)..], "X11", out error);
            if (error is not null)
            {
                return null;
            }
            if (title.Length == 0)
            {
                error = "the X11 address names no window title (x11://TITLE)";
                return null;
            }
            return new WindowSelector("window", title, command);
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
