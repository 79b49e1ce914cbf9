using RpaWorker.Drivers.Desktop.Display;

namespace RpaWorker.Drivers.Desktop.AtSpi;

/// <summary>
/// Where an AT-SPI session goes: <c>atspi://APP-NAME</c> attaches to the running application that AT-SPI knows by
/// that name (its program name, compared case-insensitively); <c>atspi://APP-NAME?exec=COMMAND</c> also starts
/// COMMAND (URL-encoded; split on spaces, no quoting) when no such application is running, and ends it when the
/// session closes. A path and a fragment after the name (<c>atspi://meddesk/Problem List#…</c>, as a session's
/// <c>Location</c> reads) describe a screen and are ignored: going there attaches to the application as it is.
/// </summary>
internal sealed record AtSpiAddress(string AppName, IReadOnlyList<string>? Command)
{
    public const string Scheme = "atspi://";

    /// <summary>Parses an address; null and an error saying what is wrong when it is not one.</summary>
    public static AtSpiAddress? TryParse(string address, out string? error)
    {
        error = null;
        if (!address.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            error = $"an AT-SPI address starts with {Scheme} (atspi://APP-NAME or atspi://APP-NAME?exec=COMMAND)";
            return null;
        }
        var rest = address[Scheme.Length..];
        if (rest.IndexOf('#', StringComparison.Ordinal) is var fragment and >= 0)
        {
            rest = rest[..fragment];
        }
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var path = (query < 0 ? rest : rest[..query]).IndexOf('/', StringComparison.Ordinal);
        var name = Uri.UnescapeDataString(path >= 0 ? rest[..path] : query < 0 ? rest : rest[..query]);
        if (name.Length == 0)
        {
            error = "the AT-SPI address names no application (atspi://APP-NAME)";
            return null;
        }
        var command = query < 0 ? null : ApplicationCommand.Parse(rest[(query + 1)..], "AT-SPI", out error);
        if (error is not null)
        {
            return null;
        }
        return new AtSpiAddress(name, command);
    }
}
