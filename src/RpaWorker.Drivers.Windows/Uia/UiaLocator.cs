using RpaWorker.Ui;

namespace RpaWorker.Drivers.Windows.Uia;

/// <summary>
/// Resolves playbook locators against a snapshot of the UI Automation tree. Only showing elements count, as a
/// person sees them. Everything it needs (names, label relations, bounds) is in the snapshot, so resolving makes
/// no call into the application.
/// </summary>
internal sealed class UiaLocator(UiaSnapshot snapshot)
{
    /// <summary>
    /// The elements the locator matches, in document order. Null means the locator kind is not something an
    /// accessibility tree can answer (CSS, XPath, OCR, AI) or the role is not known.
    /// </summary>
    public IReadOnlyList<UiaNode>? Resolve(UiLocator locator)
    {
        ArgumentNullException.ThrowIfNull(locator);
        switch (locator.Kind)
        {
            case LocatorKind.Role:
                if (UiaControlType.ForRole(locator.Value) is not { } types)
                {
                    return null;
                }
                var dialogs = UiaControlType.IsDialogRole(locator.Value);
                return Showing().Where(n => types.Contains(n.ControlType) && (!dialogs || n.Modal) &&
                                            (locator.Name is null || UiaSnapshot.Matches(n.Name, locator.Name, locator.Exact))).ToList();
            case LocatorKind.AccessibilityId:
                return Showing().Where(n => n.AutomationId == locator.Value).ToList();
            case LocatorKind.Text:
                return Smallest(TextNodes(locator.Value, locator.Exact).ToList());
            case LocatorKind.Label:
                return Labelled(locator.Value, locator.Exact);
            case LocatorKind.RightOf:
                return Beside(locator.Value, locator.Exact, below: false);
            case LocatorKind.Below:
                return Beside(locator.Value, locator.Exact, below: true);
            case LocatorKind.NearHeading:
                return TextNodes(locator.Value, locator.Exact)
                    .Select(h => Showing().FirstOrDefault(n => n.Order > h.Order && UiaControlType.HoldsRows(n.ControlType)))
                    .OfType<UiaNode>().Distinct().ToList();
            default:
                return null;
        }
    }

    private IEnumerable<UiaNode> Showing() => snapshot.Nodes.Where(n => n.Showing);

    /// <summary>Elements that show the text as their own: leaves and text-bearing controls, never inputs or windows.</summary>
    private IEnumerable<UiaNode> TextNodes(string text, bool exact) =>
        Showing().Where(n => (n.Children.Count == 0 || UiaControlType.BearsText(n.ControlType)) &&
                             !UiaControlType.IsInput(n.ControlType) && n.ControlType != UiaControlType.Window &&
                             n.Name.Length > 0 && UiaSnapshot.Matches(n.Name, text, exact));

    /// <summary>
    /// The smallest elements: a row named after its first cell and the cell itself both match, and the cell is
    /// what shows the text.
    /// </summary>
    private static List<UiaNode> Smallest(List<UiaNode> found)
    {
        var set = found.ToHashSet();
        return found.Where(n => !n.Descendants().Any(set.Contains)).ToList();
    }

    private List<UiaNode> Labelled(string text, bool exact)
    {
        var result = new List<UiaNode>();
        // The label relation (LabeledBy), then inputs that carry the label as their own name (Win32 and WinForms
        // controls take the name of the label before them).
        result.AddRange(Showing().Where(n => n.LabeledBy.Length > 0 && UiaSnapshot.Matches(n.LabeledBy, text, exact)));
        result.AddRange(Showing().Where(n => UiaControlType.IsInput(n.ControlType) && n.Name.Length > 0 && UiaSnapshot.Matches(n.Name, text, exact)));
        // A label that names nothing still names the input drawn just to its right, as it does for a person.
        foreach (var label in TextNodes(text, exact).ToList())
        {
            if (Nearest(label, below: false, n => UiaControlType.IsInput(n.ControlType)) is { } input)
            {
                result.Add(input);
            }
        }
        return result.Distinct().OrderBy(n => n.Order).ToList();
    }

    private List<UiaNode> Beside(string text, bool exact, bool below)
    {
        var result = new List<UiaNode>();
        foreach (var anchor in Smallest(TextNodes(text, exact).ToList()))
        {
            if (Nearest(anchor, below, n => n.Name.Length > 0 || UiaControlType.IsInput(n.ControlType)) is { } found)
            {
                result.Add(found);
            }
        }
        return result.Distinct().ToList();
    }

    /// <summary>The nearest showing element right of (or below) the anchor that overlaps it across; siblings first.</summary>
    private UiaNode? Nearest(UiaNode anchor, bool below, Func<UiaNode, bool> wanted)
    {
        var box = anchor.Bounds;
        var scopes = new List<IEnumerable<UiaNode>>();
        if (anchor.Parent is { } parent)
        {
            scopes.Add(parent.Children);
        }
        var window = anchor.Window;
        scopes.Add(snapshot.Nodes.Where(n => n.Window == window));
        foreach (var scope in scopes)
        {
            UiaNode? best = null;
            var bestDistance = int.MaxValue;
            foreach (var n in scope)
            {
                if (n == anchor || !n.Showing || !(n.Children.Count == 0 || UiaControlType.IsInput(n.ControlType)) ||
                    anchor.Ancestors().Contains(n) || !wanted(n))
                {
                    continue;
                }
                var e = n.Bounds;
                int distance;
                if (below)
                {
                    var overlaps = e.X < box.Right && e.Right > box.X;
                    distance = overlaps && e.Y >= box.Bottom - 2 ? e.Y - box.Bottom : int.MaxValue;
                }
                else
                {
                    var centre = e.Y + (e.Height / 2);
                    var sameLine = centre >= box.Y && centre <= box.Bottom;
                    distance = sameLine && e.X >= box.Right - 2 ? e.X - box.Right : int.MaxValue;
                }
                if (distance < bestDistance)
                {
                    best = n;
                    bestDistance = distance;
                }
            }
            if (best is not null)
            {
                return best;
            }
        }
        return null;
    }
}
