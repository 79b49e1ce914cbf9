using RpaWorker.Ui;

namespace RpaWorker.Drivers.Desktop.AtSpi;

/// <summary>
/// Fingerprints of accessible objects and the candidates for a target that no longer resolves (see
/// docs/self-healing.md), over one snapshot of one window. They are shaped like the web driver's (Fingerprints.js) so
/// the engine's scorer weighs both alike: the label is the text a playbook would write (a control's name, the label
/// left of a value or tied to a field, a table's heading), nearby texts are labels and control names, the path is the
/// chain of roles and indexes from the window, the position is the centre across and down the window. A value's own
/// text is never kept: it is PHI.
/// </summary>
internal sealed class AtSpiFingerprints(AtSpiBus bus, AtSpiLocator locator, AtSpiSnapshot snapshot, AtNode window, Func<AtNode, Task<UiTable>> table)
{
    private static readonly HashSet<string> Controls = new(StringComparer.Ordinal) { "push button", "toggle button", "page tab", "link", "menu item" };

    /// <summary>Labels name things; they are short, end with a colon and carry no digits (dates, ids and counts do).</summary>
    public static bool LabelLike(string text) => text.Length is > 0 and <= 40 && text.EndsWith(':') && !text.Any(char.IsDigit);

    /// <summary>Headings, column headers and control names: short, no digits.</summary>
    public static bool HeadingLike(string text) => text.Length is > 0 and <= 60 && !text.Any(char.IsDigit);

    /// <summary>What kind of element an object a target resolved to is.</summary>
    public static UiElementKind KindOf(AtNode node) =>
        AtSpiLocator.IsTable(node) ? UiElementKind.Table
        : AtSpiLocator.IsInput(node) ? UiElementKind.Field
        : Controls.Contains(node.Role) ? UiElementKind.Control
        : UiElementKind.Value;

    private IEnumerable<AtNode> Shown => snapshot.Nodes.Where(n => n.Showing && n.Window == window);

    public async Task<UiFingerprint> FingerprintAsync(AtNode node, UiElementKind kind, string? label = null)
    {
        label ??= kind switch
        {
            UiElementKind.Control => Text(node),
            UiElementKind.Table => HeadingOf(node) ?? "",
            UiElementKind.Field => await FieldLabelAsync(node).ConfigureAwait(false),
            _ => await ValueLabelAsync(node).ConfigureAwait(false),
        };
        // A table cell is not in the snapshot's tree: it sits where its table does.
        var placed = node.Role == "table cell" && node.Parent is { } cellTable ? cellTable : node;
        var box = locator.ExtentsAsync(placed);
        var frame = locator.ExtentsAsync(window);
        var (b, f) = (await box.ConfigureAwait(false), await frame.ConfigureAwait(false));
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node.AccessibleId.Length > 0)
        {
            attributes["id"] = node.AccessibleId;
        }
        if (HeadingLike(AtSpiLocator.Fold(node.Description)))
        {
            attributes["description"] = AtSpiLocator.Fold(node.Description);
        }
        return new UiFingerprint
        {
            Kind = kind,
            Role = AtSpiLocator.PlaybookRole(node.Role),
            Label = label,
            Nearby = Nearby(placed, kind),
            Attributes = attributes,
            Path = PathOf(placed),
            X = Across(b.X + (b.Width / 2.0), f.X, f.Width),
            Y = Across(b.Y + (b.Height / 2.0), f.Y, f.Height),
            Headers = kind == UiElementKind.Table && AtSpiLocator.IsTable(node)
                ? (await table(node).ConfigureAwait(false)).Headers.Where(HeadingLike).ToList()
                : [],
        };
    }

    /// <summary>
    /// The candidates of <paramref name="kind"/>. A control whose role is not the one <paramref name="like"/> names (a tab
    /// for a target written as a link) is offered by its text: the role and the name both changing is not an edit a
    /// playbook can take in place, while a text locator finds the control by its name alone.
    /// </summary>
    public async Task<IReadOnlyList<UiCandidate>> CandidatesAsync(UiElementKind kind, UiLocator like)
    {
        var found = new List<UiCandidate>();
        switch (kind)
        {
            case UiElementKind.Value:
                var labels = Shown.Where(n => AtSpiLocator.IsText(n) && !AtSpiLocator.IsInput(n) && LabelLike(Text(n))).ToList();
                var besides = labels.Select(l => locator.BesideAsync(l, below: false)).ToArray();
                await Task.WhenAll(besides).ConfigureAwait(false);
                for (var i = 0; i < labels.Count; i++)
                {
                    if (besides[i].Result.FirstOrDefault() is { } value && !LabelLike(Text(value)))
                    {
                        var label = Text(labels[i]);
                        found.Add(new UiCandidate(await FingerprintAsync(value, kind, label).ConfigureAwait(false), new UiLocator(LocatorKind.RightOf, label)));
                    }
                }
                break;
            case UiElementKind.Control:
                foreach (var control in Shown.Where(n => Controls.Contains(n.Role) && Text(n).Length is > 0 and <= 60))
                {
                    var otherRole = like.Kind == LocatorKind.Role && !AtSpiLocator.RoleNames(like.Value).Contains(control.Role);
                    found.Add(new UiCandidate(await FingerprintAsync(control, kind).ConfigureAwait(false), otherRole
                        ? new UiLocator(LocatorKind.Text, Text(control))
                        : new UiLocator(LocatorKind.Role, AtSpiLocator.PlaybookRole(control.Role), Text(control))));
                }
                break;
            case UiElementKind.Field:
                foreach (var field in Shown.Where(AtSpiLocator.IsInput))
                {
                    var label = await FieldLabelAsync(field).ConfigureAwait(false);
                    UiLocator? written = label.Length > 0 ? new UiLocator(LocatorKind.Label, label)
                        : field.AccessibleId.Length > 0 ? new UiLocator(LocatorKind.AccessibilityId, field.AccessibleId) : null;
                    if (written is not null)
                    {
                        found.Add(new UiCandidate(await FingerprintAsync(field, kind, label).ConfigureAwait(false), written));
                    }
                }
                break;
            case UiElementKind.Table:
                foreach (var list in Shown.Where(n => n.Role is "table" or "tree table"))
                {
                    if (HeadingOf(list) is { } heading)
                    {
                        found.Add(new UiCandidate(await FingerprintAsync(list, kind, heading).ConfigureAwait(false), new UiLocator(LocatorKind.NearHeading, heading)));
                    }
                }
                break;
        }
        return found;
    }

    private static string Text(AtNode node) => AtSpiLocator.Fold(node.Name);

    private static double Across(double centre, int start, int length) => length <= 0 ? 0 : Math.Clamp((centre - start) / length, 0, 1);

    /// <summary>The label a right-of locator would name this value by: a label-like text whose nearest neighbour to the right it is.</summary>
    private async Task<string> ValueLabelAsync(AtNode value)
    {
        if (value.Parent is not { } parent || value.Role == "table cell")
        {
            return "";
        }
        foreach (var scope in new[] { parent.Children, Shown })
        {
            var labels = scope.Where(n => n != value && n.Showing && AtSpiLocator.IsText(n) && !AtSpiLocator.IsInput(n) && LabelLike(Text(n))).ToList();
            var besides = labels.Select(l => locator.BesideAsync(l, below: false)).ToArray();
            await Task.WhenAll(besides).ConfigureAwait(false);
            for (var i = 0; i < labels.Count; i++)
            {
                if (besides[i].Result.Contains(value))
                {
                    return Text(labels[i]);
                }
            }
        }
        return "";
    }

    /// <summary>A field's label: the label tied to it by relation, its own accessible name, or the label drawn to its left.</summary>
    private async Task<string> FieldLabelAsync(AtNode field)
    {
        var relations = await bus.GetRelationSetAsync(field.Ref).ConfigureAwait(false);
        var byPath = snapshot.Nodes.ToDictionary(n => n.Ref.Path, StringComparer.Ordinal);
        var tied = relations.Where(r => r.Type == AtSpiBus.RelationLabelledBy).SelectMany(r => r.Targets)
            .Select(t => byPath.GetValueOrDefault(t.Path)).OfType<AtNode>().Select(Text).FirstOrDefault(t => t.Length > 0);
        if (tied is not null)
        {
            return tied;
        }
        if (Text(field).Length > 0)
        {
            return Text(field);
        }
        foreach (var label in Shown.Where(n => AtSpiLocator.IsText(n) && !AtSpiLocator.IsInput(n) && LabelLike(Text(n))))
        {
            if ((await locator.NearestAsync(label, below: false, AtSpiLocator.IsInput).ConfigureAwait(false)).Contains(field))
            {
                return Text(label);
            }
        }
        return "";
    }

    /// <summary>
    /// A table's heading: the first heading-like text before it in the nearest box around it that has one, and after
    /// which it is the first table (so a near-heading locator with that text finds it).
    /// </summary>
    private string? HeadingOf(AtNode list)
    {
        var child = list;
        foreach (var box in list.Ancestors())
        {
            foreach (var text in box.Children.Where(n => n.Order < child.Order && n.Showing && AtSpiLocator.IsText(n) && HeadingLike(Text(n))))
            {
                if (snapshot.Nodes.FirstOrDefault(n => n.Showing && n.Order > text.Order && AtSpiLocator.IsTable(n)) == list)
                {
                    return Text(text);
                }
            }
            child = box;
        }
        return null;
    }

    /// <summary>Labels (for values and fields) or the names of other controls (for controls) in the same box.</summary>
    private static List<string> Nearby(AtNode node, UiElementKind kind)
    {
        if (kind == UiElementKind.Table || node.Parent is not { } parent)
        {
            return [];
        }
        var texts = kind == UiElementKind.Control
            ? parent.Children.Where(n => n != node && n.Showing && Controls.Contains(n.Role)).Select(Text).Where(t => t.Length <= 40 && HeadingLike(t))
            : parent.Children.Where(n => n != node && n.Showing && AtSpiLocator.IsText(n)).Select(Text).Where(LabelLike);
        return texts.Distinct(StringComparer.Ordinal).Take(16).ToList();
    }

    /// <summary>Roles and indexes among the showing siblings from the window down, e.g. <c>frame/filler[0]/panel[1]/label[5]</c>.</summary>
    private static string PathOf(AtNode node)
    {
        var parts = new List<string>();
        for (var n = node; n.Parent is { } parent; n = parent)
        {
            parts.Add($"{n.Role.Replace(' ', '-')}[{parent.Children.IndexOf(n)}]");
        }
        parts.Add(node.Window.Role.Replace(' ', '-'));
        parts.Reverse();
        return string.Join('/', parts);
    }
}
