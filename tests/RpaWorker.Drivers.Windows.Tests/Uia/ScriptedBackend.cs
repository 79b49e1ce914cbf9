using RpaWorker.Drivers.Windows.Uia;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Windows.Tests.Uia;

/// <summary>
/// A screen for the session to drive without Windows: the test sets the windows, and the backend records every
/// action and lets the test change the screen in answer, the way an application would.
/// </summary>
internal sealed class ScriptedBackend : IUiaBackend
{
    public const int ProcessId = 4242;

    public List<UiaNode> Windows { get; } = [];
    public string ProcessName { get; set; } = "meddesk";
    public List<string> Actions { get; } = [];
    public Dictionary<UiaNode, string> Values { get; } = [];
    public int Snapshots { get; private set; }

    /// <summary>Called after each action with its log entry, to change the screen.</summary>
    public Action<string, UiaNode>? OnAction { get; set; }

    /// <summary>Called before each snapshot with its number (from 1).</summary>
    public Action<int>? BeforeSnapshot { get; set; }

    public Func<UiaNode, UiTable?> Grid { get; set; } = _ => null;

    public IReadOnlyList<UiaTopLevel> TopLevelWindows() =>
        Windows.Select(w => new UiaTopLevel(w, ProcessId, ProcessName, w.Name))
            .Append(new UiaTopLevel(Screens.Node(UiaControlType.Window, "Other app"), 1, "explorer", "Other app")).ToList();

    public UiaSnapshot Snapshot(IReadOnlyList<UiaTopLevel> windows)
    {
        BeforeSnapshot?.Invoke(++Snapshots);
        return new UiaSnapshot(windows.Select(w => (UiaNode)w.Element).ToList());
    }

    public UiaOutcome Click(UiaNode node) => Act("click", node);

    public UiaOutcome SetText(UiaNode node, string text)
    {
        if (node.ControlType != UiaControlType.Edit)
        {
            return UiaOutcome.Unsupported;
        }
        Values[node] = text;
        return Act("fill", node);
    }

    public UiaOutcome Select(UiaNode item) => Act("select", item);

    public UiaOutcome Expand(UiaNode node, bool expand) => Act(expand ? "expand" : "collapse", node);

    public string ReadText(UiaNode node) => Values.TryGetValue(node, out var value) ? value : node.Name;

    public UiTable? ReadGrid(UiaNode node) => Grid(node);

    public UiaOutcome Press(UiaKey key, UiaNode? focus, UiaNode? window) =>
        Act($"press {key.VirtualKey:X2}", focus ?? window!);

    public byte[] Screenshot(UiaNode window) => [0x89, (byte)'P', (byte)'N', (byte)'G'];

    public void Dispose()
    {
    }

    /// <summary>What an action log entry calls the element: its automation id, else its type and name.</summary>
    public static string Describe(UiaNode node) =>
        node.AutomationId.Length > 0 ? node.AutomationId : $"{UiaControlType.NameOf(node.ControlType)}:{node.Name}";

    private UiaOutcome Act(string what, UiaNode node)
    {
        var entry = $"{what} {Describe(node)}";
        Actions.Add(entry);
        OnAction?.Invoke(entry, node);
        return UiaOutcome.Done;
    }
}
