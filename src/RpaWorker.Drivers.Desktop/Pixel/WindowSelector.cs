namespace RpaWorker.Drivers.Desktop.Pixel;

/// <summary>
/// Which window an address names: <c>x11:window=TEXT</c>, <c>window=TEXT</c> or plain TEXT (by title), or
/// <c>x11:id=0x…</c> / <c>id=0x…</c> (by window id).
/// </summary>
internal sealed record WindowSelector(string Kind, string Value)
{
    /// <summary>The selector, or null when the address names nothing (empty, or an empty title or id).</summary>
    public static WindowSelector? Parse(string address)
    {
        var rest = address.Trim();
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
