using System.Text;

namespace RpaWorker.Drivers.Windows.Uia;

/// <summary>
/// Where a UI Automation session goes. <c>uia://PROCESS</c> attaches to the windows of the running process of that
/// name (without <c>.exe</c>, compared case-insensitively); <c>?title=TEXT</c> narrows to windows whose title contains
/// TEXT; <c>?exec=COMMAND</c> starts COMMAND when no such window is open (URL-encoded; split on spaces, double
/// quotes keep a path with spaces whole) and ends it when the session closes. A path and a fragment after the name
/// (as a session's <c>Location</c> reads) describe a screen and are ignored.
/// </summary>
internal sealed record UiaAddress(string ProcessName, string? Title, IReadOnlyList<string>? Command)
{
    public const string Scheme = "uia://";

    /// <summary>Parses an address; null and an error saying what is wrong when it is not one.</summary>
    public static UiaAddress? TryParse(string address, out string? error)
    {
        error = null;
        if (!address.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            error = $"a UI Automation address starts with {Scheme} (uia://PROCESS, uia://PROCESS?title=TEXT or uia://PROCESS?exec=COMMAND)";
            return null;
        }
        var rest = address[Scheme.Length..];
        if (rest.IndexOf('#', StringComparison.Ordinal) is var fragment and >= 0)
        {
            rest = rest[..fragment];
        }
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var target = query < 0 ? rest : rest[..query];
        if (target.IndexOf('/', StringComparison.Ordinal) is var path and >= 0)
        {
            target = target[..path];
        }
        var name = Uri.UnescapeDataString(target);
        if (name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^4];
        }
        if (name.Length == 0)
        {
            error = "the UI Automation address names no process (uia://PROCESS)";
            return null;
        }
        string? title = null;
        IReadOnlyList<string>? command = null;
        foreach (var pair in query < 0 ? [] : rest[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            var value = Uri.UnescapeDataString((eq < 0 ? "" : pair[(eq + 1)..]).Replace('+', ' '));
            if (key.Equals("title", StringComparison.OrdinalIgnoreCase))
            {
                title = value.Length > 0 ? value : null;
            }
            else if (key.Equals("exec", StringComparison.OrdinalIgnoreCase))
            {
                command = SplitCommand(value);
                if (command.Count == 0)
                {
                    error = "exec= in the UI Automation address gives no command";
                    return null;
                }
            }
            else
            {
                error = $"unknown UI Automation address parameter '{key}' (title=TEXT and exec=COMMAND are known)";
                return null;
            }
        }
        return new UiaAddress(name, title, command);
    }

    private static List<string> SplitCommand(string command)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in command)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (any)
                {
                    parts.Add(current.ToString());
                }
                current.Clear();
                any = false;
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }
        if (any)
        {
            parts.Add(current.ToString());
        }
        return parts;
    }
}
