using Microsoft.Playwright;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Web;

/// <summary>An element a target resolved to, and which of its locators found it.</summary>
internal sealed record ResolvedTarget(ILocator Element, int LocatorIndex);

/// <summary>What one look at the page found for a target.</summary>
internal sealed record ResolutionRound(ResolvedTarget? Resolved, (int Locator, int Count)? Ambiguous, IReadOnlyList<string> Unusable, int LocatorCount)
{
    /// <summary>No locator can ever resolve: each is of a kind this driver lacks or is not a valid selector.</summary>
    public bool NothingUsable => Unusable.Count == LocatorCount;
}

/// <summary>
/// Turns a target's locators into Playwright locators and looks them up once. Without a frame, a locator is looked for in
/// the top document first and, when nothing there matches, in each child frame: legacy EHRs embed whole sections in
/// iframes, and a playbook should not have to know which.
/// </summary>
internal static class TargetResolver
{
    private static readonly Dictionary<string, AriaRole> RoleAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["input"] = AriaRole.Textbox,
        ["field"] = AriaRole.Textbox,
        ["text"] = AriaRole.Textbox,
        ["select"] = AriaRole.Combobox,
        ["dropdown"] = AriaRole.Combobox,
        ["combo"] = AriaRole.Combobox,
        ["popup"] = AriaRole.Dialog,
        ["alertdialog"] = AriaRole.Alertdialog,
        ["radiobutton"] = AriaRole.Radio,
        ["list"] = AriaRole.List,
        ["tablist"] = AriaRole.Tablist,
    };

    public static async Task<ResolutionRound> LookAsync(IPage page, UiTarget target)
    {
        var unusable = new List<string>();
        (int, int)? ambiguous = null;
        for (var i = 0; i < target.Locators.Count; i++)
        {
            var locator = target.Locators[i];
            if (Unsupported(locator) is { } why)
            {
                unusable.Add(why);
                continue;
            }
            ILocator? candidate = null;
            var count = 0;
            try
            {
                (candidate, count) = await FirstMatchAsync(page, locator);
            }
            catch (PlaywrightException e) when (IsSelectorError(e))
            {
                unusable.Add($"{locator} is not a valid selector");
                continue;
            }
            if (count == 0 || candidate is null)
            {
                continue;
            }
            if (locator.Index is { } index)
            {
                if (count > index)
                {
                    return new ResolutionRound(new ResolvedTarget(candidate.Nth(index), i), null, unusable, target.Locators.Count);
                }
                continue;
            }
            if (count == 1)
            {
                return new ResolutionRound(new ResolvedTarget(candidate, i), null, unusable, target.Locators.Count);
            }
            ambiguous ??= (i, count);
        }
        return new ResolutionRound(null, ambiguous, unusable, target.Locators.Count);
    }

    private static async Task<(ILocator?, int)> FirstMatchAsync(IPage page, UiLocator locator)
    {
        foreach (var root in Roots(page, locator))
        {
            foreach (var candidate in Candidates(root, locator))
            {
                var visible = candidate.Filter(new LocatorFilterOptions { Visible = true });
                int count;
                try
                {
                    count = await visible.CountAsync();
                }
                catch (PlaywrightException e) when (IsTransient(e))
                {
                    // The frame went away or the document was replaced mid-look: the next round sees the new one.
                    continue;
                }
                if (count > 0)
                {
                    return (visible, count);
                }
            }
        }
        return (null, 0);
    }

    private static IEnumerable<ILocator> Roots(IPage page, UiLocator locator)
    {
        if (locator.Frame is { } frame)
        {
            yield return page.FrameLocator(frame).Locator(":root");
            yield break;
        }
        yield return page.MainFrame.Locator(":root");
        foreach (var child in page.Frames)
        {
            if (child != page.MainFrame && !child.IsDetached)
            {
                yield return child.Locator(":root");
            }
        }
    }

    private static IEnumerable<ILocator> Candidates(ILocator root, UiLocator locator)
    {
        switch (locator.Kind)
        {
            case LocatorKind.Role:
                yield return root.GetByRole(Role(locator.Value)!.Value, new LocatorGetByRoleOptions { Name = locator.Name, Exact = locator.Exact });
                break;
            case LocatorKind.Label:
                yield return root.GetByLabel(locator.Value, new LocatorGetByLabelOptions { Exact = locator.Exact });
                // Legacy forms label a field with a plain cell before the field's cell.
                yield return root.Locator(ScreenQuery.Selector("label", locator.Value, locator.Exact));
                break;
            case LocatorKind.Text:
                yield return root.Locator(ScreenQuery.Selector("text", locator.Value, locator.Exact));
                break;
            case LocatorKind.RightOf:
                yield return root.Locator(ScreenQuery.Selector("rightof", locator.Value, locator.Exact));
                break;
            case LocatorKind.Below:
                yield return root.Locator(ScreenQuery.Selector("below", locator.Value, locator.Exact));
                break;
            case LocatorKind.NearHeading:
                yield return root.Locator(ScreenQuery.Selector("heading", locator.Value, locator.Exact));
                break;
            case LocatorKind.Css:
                yield return root.Locator("css=" + locator.Value);
                break;
            case LocatorKind.XPath:
                yield return root.Locator("xpath=" + locator.Value);
                break;
            default:
                throw new InvalidOperationException($"Locator kind {locator.Kind} has no web lookup.");
        }
    }

    private static string? Unsupported(UiLocator locator) => locator.Kind switch
    {
        LocatorKind.AccessibilityId => $"{locator} is for desktop drivers (use css or role on the web)",
        LocatorKind.OcrText => $"{locator} is for the pixel driver (use text on the web)",
        LocatorKind.Ai => $"{locator} needs the AI tier, which the web driver does not have",
        LocatorKind.Role when Role(locator.Value) is null => $"{locator} names no known ARIA role",
        _ => null,
    };

    private static AriaRole? Role(string name)
    {
        var trimmed = name.Trim();
        if (RoleAliases.TryGetValue(trimmed, out var alias))
        {
            return alias;
        }
        return Enum.TryParse<AriaRole>(trimmed, ignoreCase: true, out var role) && Enum.IsDefined(role) ? role : null;
    }

    private static bool IsSelectorError(PlaywrightException e) =>
        e.Message.Contains("selector", StringComparison.OrdinalIgnoreCase) &&
        (e.Message.Contains("valid", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("parse", StringComparison.OrdinalIgnoreCase) ||
         e.Message.Contains("Unexpected", StringComparison.Ordinal) || e.Message.Contains("Unknown engine", StringComparison.OrdinalIgnoreCase));

    private static bool IsTransient(PlaywrightException e) =>
        e.Message.Contains("detached", StringComparison.OrdinalIgnoreCase) ||
        e.Message.Contains("Execution context was destroyed", StringComparison.OrdinalIgnoreCase) ||
        e.Message.Contains("navigat", StringComparison.OrdinalIgnoreCase);
}
