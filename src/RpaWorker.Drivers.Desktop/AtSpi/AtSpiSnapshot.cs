namespace RpaWorker.Drivers.Desktop.AtSpi;

/// <summary>One accessible object as it was when the snapshot was taken.</summary>
internal sealed class AtNode
{
    public required AtRef Ref { get; init; }
    public required string Role { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required string AccessibleId { get; init; }
    public required ulong States { get; init; }
    public required int ChildCount { get; init; }
    /// <summary>Position in document order (depth first).</summary>
    public required int Order { get; init; }
    public string ParentPath { get; init; } = "";
    public AtNode? Parent { get; set; }
    public List<AtNode> Children { get; } = [];

    public bool Has(int state) => (States & (1UL << state)) != 0;

    public bool Showing => Has(AtSpiBus.StateShowing) && Has(AtSpiBus.StateVisible);

    /// <summary>The top-level window (frame or dialog) the object is in.</summary>
    public AtNode Window
    {
        get
        {
            var node = this;
            while (node.Parent is not null)
            {
                node = node.Parent;
            }
            return node;
        }
    }

    public IEnumerable<AtNode> Ancestors()
    {
        for (var n = Parent; n is not null; n = n.Parent)
        {
            yield return n;
        }
    }
}

/// <summary>
/// The showing part of the application's accessible tree at one moment: one Collection call for every showing
/// object in document order, then the role, properties and states of all of them as one pipelined batch. List
/// and table views are leaves here; their cells are read on demand through the Table interface.
/// </summary>
internal sealed class AtSpiSnapshot
{
    private AtSpiSnapshot(IReadOnlyList<AtNode> nodes, IReadOnlyList<AtNode> windows)
    {
        Nodes = nodes;
        Windows = windows;
    }

    /// <summary>Every object below the application, in document order.</summary>
    public IReadOnlyList<AtNode> Nodes { get; }

    /// <summary>The application's top-level windows.</summary>
    public IReadOnlyList<AtNode> Windows { get; }

    /// <summary>What is shown, as text to compare two snapshots by: object paths, roles and names.</summary>
    public string Shape => string.Join('\n', Nodes.Select(n => $"{n.Ref.Path} {n.Role} {n.Name}"));

    /// <summary>A showing modal dialog of the application, if one is open.</summary>
    public AtNode? ModalDialog => Windows.LastOrDefault(w => w.Showing && w.Has(AtSpiBus.StateModal));

    /// <summary>The main window: the first showing frame.</summary>
    public AtNode? MainWindow => Windows.FirstOrDefault(w => w.Showing && w.Role == "frame") ?? Windows.FirstOrDefault(w => w.Showing);

    public static async Task<AtSpiSnapshot> TakeAsync(AtSpiBus bus, AtRef application)
    {
        var refs = await bus.GetShowingDescendantsAsync(application).ConfigureAwait(false);
        var roles = refs.Select(bus.GetRoleNameAsync).ToArray();
        var props = refs.Select(bus.GetAccessiblePropertiesAsync).ToArray();
        var states = refs.Select(bus.GetStateAsync).ToArray();
        await Task.WhenAll(Task.WhenAll(roles), Task.WhenAll(props), Task.WhenAll(states)).ConfigureAwait(false);
        var nodes = new List<AtNode>(refs.Count);
        var byPath = new Dictionary<string, AtNode>(StringComparer.Ordinal);
        for (var i = 0; i < refs.Count; i++)
        {
            var p = props[i].Result;
            var node = new AtNode
            {
                Ref = refs[i],
                Role = roles[i].Result,
                Name = Text(p, "Name"),
                Description = Text(p, "Description"),
                AccessibleId = Text(p, "AccessibleId"),
                States = states[i].Result,
                ChildCount = p.TryGetValue("ChildCount", out var c) ? c.GetInt32() : 0,
                Order = i,
                ParentPath = p.TryGetValue("Parent", out var parent) ? parent.GetItem(1).GetObjectPathAsString() : "",
            };
            nodes.Add(node);
            byPath[node.Ref.Path] = node;
        }
        var windows = new List<AtNode>();
        foreach (var node in nodes)
        {
            if (byPath.TryGetValue(node.ParentPath, out var parent))
            {
                node.Parent = parent;
                parent.Children.Add(node);
            }
            else
            {
                windows.Add(node);
            }
        }
        return new AtSpiSnapshot(nodes, windows);
    }

    private static string Text(Dictionary<string, Tmds.DBus.Protocol.VariantValue> props, string key) =>
        props.TryGetValue(key, out var v) && v.Type == Tmds.DBus.Protocol.VariantValueType.String ? v.GetString() : "";
}
