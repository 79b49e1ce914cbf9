using System.Text.RegularExpressions;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Desktop.AtSpi;

/// <summary>
/// Resolves playbook locators against a snapshot of the accessible tree. Only objects that are showing count,
/// as a person sees them. Geometric locators (right of, below) ask for extents of the anchor's siblings first
/// and widen to its window only when the siblings have no answer; table cells are searched only when nothing
/// outside tables matches.
/// </summary>
internal sealed partial class AtSpiLocator(AtSpiBus bus, AtSpiSnapshot snapshot, Func<AtNode, Task<IReadOnlyList<AtNode>>> tableCells)
{
    // Playbooks speak ARIA-like roles; AT-SPI role names are accepted as they are.
    private static readonly Dictionary<string, string[]> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["button"] = ["push button", "toggle button"],
        ["textbox"] = ["text", "entry", "password text"],
        ["tab"] = ["page tab"],
        ["tablist"] = ["page tab list"],
        ["dialog"] = ["dialog", "alert"],
        ["alertdialog"] = ["alert"],
        ["table"] = ["table", "tree table"],
        ["grid"] = ["table", "tree table"],
        ["list"] = ["list", "list box"],
        ["listitem"] = ["list item"],
        ["option"] = ["list item", "menu item"],
        ["combobox"] = ["combo box"],
        ["checkbox"] = ["check box"],
        ["radio"] = ["radio button"],
        ["cell"] = ["table cell"],
        ["gridcell"] = ["table cell"],
        ["columnheader"] = ["table column header", "column header"],
        ["menuitem"] = ["menu item"],
        ["window"] = ["frame", "window", "dialog"],
        ["heading"] = ["heading"],
        ["link"] = ["link"],
        ["label"] = ["label"],
    };

    private static readonly HashSet<string> Inputs = new(StringComparer.Ordinal)
    {
        "text", "entry", "password text", "combo box", "spin button", "check box", "radio button", "list", "list box",
    };

    // Objects whose own name is their visible text even when they have children.
    private static readonly HashSet<string> TextBearing = new(StringComparer.Ordinal)
    {
        "push button", "toggle button", "page tab", "menu item", "check box", "radio button", "link", "list item",
    };

    private static readonly HashSet<string> Tables = new(StringComparer.Ordinal) { "table", "tree table", "list", "list box", "tree" };

    // Extents asked for once per object and lookup: candidates for healing ask for the same neighbours many times.
    private readonly Dictionary<string, Task<(int X, int Y, int Width, int Height)>> _extents = new(StringComparer.Ordinal);

    /// <summary>
    /// The objects the locator matches, in document order. Null means the locator kind is not something an
    /// accessibility tree can answer (CSS, XPath, OCR, AI).
    /// </summary>
    public async Task<IReadOnlyList<AtNode>?> ResolveAsync(UiLocator locator)
    {
        switch (locator.Kind)
        {
            case LocatorKind.Role:
                var roles = RoleNames(locator.Value);
                return Showing().Where(n => roles.Contains(n.Role) && (locator.Name is null || Matches(n.Name, locator.Name, locator.Exact))).ToList();
            case LocatorKind.Text:
                return await TextAsync(locator.Value, locator.Exact).ConfigureAwait(false);
            case LocatorKind.AccessibilityId:
                return Showing().Where(n => n.AccessibleId == locator.Value).ToList();
            case LocatorKind.Label:
                return await LabelledAsync(locator.Value, locator.Exact).ConfigureAwait(false);
            case LocatorKind.RightOf:
                return await BesideAsync(locator.Value, locator.Exact, below: false).ConfigureAwait(false);
            case LocatorKind.Below:
                return await BesideAsync(locator.Value, locator.Exact, below: true).ConfigureAwait(false);
            case LocatorKind.NearHeading:
                return TextNodes(locator.Value, locator.Exact)
                    .Select(h => Showing().FirstOrDefault(n => n.Order > h.Order && Tables.Contains(n.Role)))
                    .OfType<AtNode>().Distinct().ToList();
            default:
                return null;
        }
    }

    /// <summary>Whitespace-folded, trimmed text.</summary>
    public static string Fold(string text) => Whitespace().Replace(text, " ").Trim();

    public static bool Matches(string actual, string wanted, bool exact)
    {
        var a = Fold(actual);
        var w = Fold(wanted);
        return exact ? a.Equals(w, StringComparison.OrdinalIgnoreCase) : a.Contains(w, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The role a playbook writes for an AT-SPI role ("push button" is "button"), or the AT-SPI role as it is.</summary>
    public static string PlaybookRole(string atSpiRole) =>
        Roles.FirstOrDefault(r => r.Value.Contains(atSpiRole, StringComparer.Ordinal)).Key ?? atSpiRole;

    public static IReadOnlySet<string> RoleNames(string role) =>
        Roles.TryGetValue(role, out var names) ? names.ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal) { role.Replace('_', ' ').Replace('-', ' ').ToLowerInvariant() };

    /// <summary>Whether the object takes input (a text field, a list, a check box).</summary>
    public static bool IsInput(AtNode node) => Inputs.Contains(node.Role);

    /// <summary>Whether the object is a table or list that <see cref="LocatorKind.NearHeading"/> finds.</summary>
    public static bool IsTable(AtNode node) => Tables.Contains(node.Role);

    /// <summary>Whether the object shows text of its own that text locators (text, right of, near heading) match.</summary>
    public static bool IsText(AtNode node) => (node.ChildCount == 0 || TextBearing.Contains(node.Role)) && !Tables.Contains(node.Role) && node.Name.Length > 0;

    /// <summary>The object's screen extents, asked for once per lookup.</summary>
    public Task<(int X, int Y, int Width, int Height)> ExtentsAsync(AtNode node)
    {
        if (!_extents.TryGetValue(node.Ref.Path, out var extents))
        {
            extents = bus.GetExtentsAsync(node.Ref);
            _extents[node.Ref.Path] = extents;
        }
        return extents;
    }

    private IEnumerable<AtNode> Showing() => snapshot.Nodes.Where(n => n.Showing);

    private IEnumerable<AtNode> TextNodes(string text, bool exact) => Showing().Where(n => IsText(n) && Matches(n.Name, text, exact));

    private async Task<IReadOnlyList<AtNode>> TextAsync(string text, bool exact)
    {
        var found = TextNodes(text, exact).ToList();
        if (found.Count > 0)
        {
            return found;
        }
        var cells = new List<AtNode>();
        foreach (var table in Showing().Where(n => n.Role is "table" or "tree table"))
        {
            cells.AddRange((await tableCells(table).ConfigureAwait(false)).Where(c => Matches(c.Name, text, exact)));
        }
        return cells;
    }

    private async Task<IReadOnlyList<AtNode>> LabelledAsync(string text, bool exact)
    {
        var result = new List<AtNode>();
        // Inputs that carry the text as their own accessible name.
        result.AddRange(Showing().Where(n => Inputs.Contains(n.Role) && n.Name.Length > 0 && Matches(n.Name, text, exact)));
        var labels = TextNodes(text, exact).Where(n => !Inputs.Contains(n.Role)).ToList();
        var relations = await Task.WhenAll(labels.Select(l => bus.GetRelationSetAsync(l.Ref))).ConfigureAwait(false);
        var byPath = snapshot.Nodes.ToDictionary(n => n.Ref.Path, StringComparer.Ordinal);
        var unrelated = new List<AtNode>();
        for (var i = 0; i < labels.Count; i++)
        {
            var targets = relations[i].Where(r => r.Type == AtSpiBus.RelationLabelFor).SelectMany(r => r.Targets)
                .Select(t => byPath.GetValueOrDefault(t.Path)).OfType<AtNode>().Where(n => n.Showing).ToList();
            result.AddRange(targets);
            if (targets.Count == 0)
            {
                unrelated.Add(labels[i]);
            }
        }
        // A label with no relation still names the input drawn just to its right, as it does for a person.
        foreach (var label in unrelated)
        {
            result.AddRange(await NearestAsync(label, below: false, n => Inputs.Contains(n.Role)).ConfigureAwait(false));
        }
        return result.Distinct().OrderBy(n => n.Order).ToList();
    }

    private async Task<IReadOnlyList<AtNode>> BesideAsync(string text, bool exact, bool below)
    {
        var result = new List<AtNode>();
        foreach (var anchor in TextNodes(text, exact).ToList())
        {
            result.AddRange(await BesideAsync(anchor, below).ConfigureAwait(false));
        }
        return result.Distinct().ToList();
    }

    /// <summary>What a right-of (or below) locator finds next to one anchor: at most one object.</summary>
    public Task<IReadOnlyList<AtNode>> BesideAsync(AtNode anchor, bool below) =>
        NearestAsync(anchor, below, n => n.Name.Length > 0 || Inputs.Contains(n.Role));

    /// <summary>The nearest showing object right of (or below) the anchor that overlaps it across; siblings first.</summary>
    public async Task<IReadOnlyList<AtNode>> NearestAsync(AtNode anchor, bool below, Func<AtNode, bool> wanted)
    {
        var box = await ExtentsAsync(anchor).ConfigureAwait(false);
        var scopes = new List<IEnumerable<AtNode>>();
        if (anchor.Parent is { } parent)
        {
            scopes.Add(parent.Children);
        }
        var window = anchor.Window;
        scopes.Add(snapshot.Nodes.Where(n => n.Window == window));
        foreach (var scope in scopes)
        {
            var candidates = scope.Where(n => n != anchor && n.Showing && (n.ChildCount == 0 || Inputs.Contains(n.Role)) && !anchor.Ancestors().Contains(n) && wanted(n)).ToList();
            var extents = await Task.WhenAll(candidates.Select(ExtentsAsync)).ConfigureAwait(false);
            AtNode? best = null;
            var bestDistance = int.MaxValue;
            for (var i = 0; i < candidates.Count; i++)
            {
                var e = extents[i];
                int distance;
                if (below)
                {
                    var overlaps = e.X < box.X + box.Width && e.X + e.Width > box.X;
                    distance = overlaps && e.Y >= box.Y + box.Height - 2 ? e.Y - (box.Y + box.Height) : int.MaxValue;
                }
                else
                {
                    var centre = e.Y + (e.Height / 2);
                    var sameLine = centre >= box.Y && centre <= box.Y + box.Height;
                    distance = sameLine && e.X >= box.X + box.Width - 2 ? e.X - (box.X + box.Width) : int.MaxValue;
                }
                if (distance < bestDistance)
                {
                    best = candidates[i];
                    bestDistance = distance;
                }
            }
            if (best is not null)
            {
                return [best];
            }
        }
        return [];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
