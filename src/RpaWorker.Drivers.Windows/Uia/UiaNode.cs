using System.Text.RegularExpressions;

namespace RpaWorker.Drivers.Windows.Uia;

/// <summary>A rectangle in screen pixels.</summary>
internal readonly record struct UiaBounds(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
}

/// <summary>One UI Automation element as it was when the snapshot was taken.</summary>
internal sealed class UiaNode
{
    /// <summary>The live element, for the backend that made the snapshot to act on.</summary>
    public required object Element { get; init; }
    public required int ControlType { get; init; }
    public required string Name { get; init; }
    public string AutomationId { get; init; } = "";
    public string ClassName { get; init; } = "";
    /// <summary>The name of the element that labels this one (UIA LabeledBy), or empty.</summary>
    public string LabeledBy { get; init; } = "";
    public UiaBounds Bounds { get; init; }
    public bool Enabled { get; init; } = true;
    public bool Offscreen { get; init; }
    /// <summary>A window that blocks the rest of its application until it closes (WindowPattern IsModal).</summary>
    public bool Modal { get; init; }
    public bool Selected { get; init; }
    /// <summary>The element's own window handle, when it has one (top-level windows, Win32 controls).</summary>
    public nint WindowHandle { get; init; }
    /// <summary>Position in document order (depth first).</summary>
    public int Order { get; set; }
    public UiaNode? Parent { get; private set; }
    public List<UiaNode> Children { get; } = [];

    public bool Showing => !Offscreen;

    /// <summary>The window (top-level, or a dialog inside it) the element is in: the nearest window at or above it.</summary>
    public UiaNode Window
    {
        get
        {
            for (var n = this; ; n = n.Parent)
            {
                if (n.ControlType == UiaControlType.Window || n.Parent is null)
                {
                    return n;
                }
            }
        }
    }

    public UiaNode Add(UiaNode child)
    {
        child.Parent = this;
        Children.Add(child);
        return this;
    }

    public IEnumerable<UiaNode> Ancestors()
    {
        for (var n = Parent; n is not null; n = n.Parent)
        {
            yield return n;
        }
    }

    public IEnumerable<UiaNode> Descendants()
    {
        foreach (var child in Children)
        {
            yield return child;
            foreach (var d in child.Descendants())
            {
                yield return d;
            }
        }
    }

    /// <summary>For debugging only: the control type and automation id, never the name (it may be PHI).</summary>
    public override string ToString() => $"{UiaControlType.NameOf(ControlType)} #{AutomationId}";
}

/// <summary>
/// The application's windows and everything in them at one moment, taken in one cross-process call per window
/// (a cache request over the subtree), so lookups cost nothing until the next snapshot.
/// </summary>
internal sealed partial class UiaSnapshot
{
    public UiaSnapshot(IReadOnlyList<UiaNode> windows)
    {
        Windows = windows;
        var nodes = new List<UiaNode>();
        foreach (var window in windows)
        {
            nodes.Add(window);
            nodes.AddRange(window.Descendants());
        }
        for (var i = 0; i < nodes.Count; i++)
        {
            nodes[i].Order = i;
        }
        Nodes = nodes;
    }

    /// <summary>The application's top-level windows.</summary>
    public IReadOnlyList<UiaNode> Windows { get; }

    /// <summary>Every element, in document order.</summary>
    public IReadOnlyList<UiaNode> Nodes { get; }

    /// <summary>The modal window that is open (the last one, when one opened another), or null.</summary>
    public UiaNode? ModalDialog => Nodes.LastOrDefault(n => n.Showing && n.ControlType == UiaControlType.Window && n.Modal);

    /// <summary>The main window: the first showing top-level window that is not modal.</summary>
    public UiaNode? MainWindow => Windows.FirstOrDefault(w => w.Showing && !w.Modal) ?? Windows.FirstOrDefault(w => w.Showing);

    /// <summary>What is shown, as text to compare two snapshots by.</summary>
    public string Shape => string.Join('\n', Nodes.Select(n => $"{n.ControlType} {n.Showing} {n.Selected} {n.Name}"));

    /// <summary>Whitespace-folded, trimmed text.</summary>
    public static string Fold(string text) => Whitespace().Replace(text, " ").Trim();

    /// <summary>Whole-text (exact) or substring match, case-insensitive, whitespace-folded.</summary>
    public static bool Matches(string actual, string wanted, bool exact)
    {
        var a = Fold(actual);
        var w = Fold(wanted);
        return exact ? a.Equals(w, StringComparison.OrdinalIgnoreCase) : a.Contains(w, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
