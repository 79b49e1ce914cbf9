using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RpaWorker.Ai.Assistant;
using RpaWorker.Drivers.Web;
using RpaWorker.Ui;

namespace RpaWorker.Cli.Authoring;

/// <summary>What kind of thing an observed element is, as the model sees it.</summary>
internal enum ElementKind
{
    Control,
    Field,
    Value,
    Table,
}

/// <summary>
/// One element of an observed screen, with an id the model refers to (<c>c3</c>, <c>f1</c>, <c>v2</c>, <c>t1</c>) and
/// what the loop needs to act on it and to write it down: its locator, its fingerprint, its table.
/// </summary>
/// <param name="Id">The id the model sees.</param>
/// <param name="Kind">Control, field, value or table.</param>
/// <param name="Role">Link, button, tab, textbox… (tables: table).</param>
/// <param name="Name">What names it on the screen: a control's text, a field's or a value's label, a table's heading. Unmasked.</param>
/// <param name="Locator">How the driver finds it now.</param>
/// <param name="NameIsData">True when the name is patient data (a link named after the patient), not screen wording.</param>
/// <param name="Href">A link's address as structure (numbers masked as <c>#</c>), or null.</param>
/// <param name="Value">A value element's text (PHI), or null.</param>
/// <param name="Table">A table's outline, or null.</param>
internal sealed record ObservedElement(string Id, ElementKind Kind, string Role, string Name, UiLocator Locator, bool NameIsData,
    string? Href = null, string? Value = null, WebOutlineTable? Table = null);

/// <summary>A screen as the loop saw it. Everything unmasked: <see cref="ToPayload"/> masks it for the model.</summary>
internal sealed partial record Observation(string Address, string Title, IReadOnlyList<string> Headings, IReadOnlyList<ObservedElement> Elements)
{
    public ObservedElement? Find(string idOrName) =>
        Elements.FirstOrDefault(e => string.Equals(e.Id, idOrName.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? Elements.FirstOrDefault(e => !e.NameIsData && string.Equals(e.Name, idOrName.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The screen as the model gets it. Without <paramref name="allowPhi"/>: the title, headings and names scrubbed of
    /// dates, names and long numbers (and of <paramref name="knownPhi"/>), values replaced by their shape. Secrets are
    /// scrubbed whatever the setting: a credential is never sent to a model.
    /// </summary>
    public JsonObject ToPayload(bool allowPhi, IReadOnlyList<string> knownPhi, IReadOnlyList<string> secrets)
    {
        string Text(string? text)
        {
            var result = text ?? "";
            foreach (var secret in secrets.Where(s => s.Length > 0))
            {
                result = result.Replace(secret, "<secret>", StringComparison.OrdinalIgnoreCase);
            }
            return allowPhi ? result : StructuredChat.Scrub(result, knownPhi);
        }
        string Value(string? value) => allowPhi ? Text(value) : StructuredChat.Shape(value);
        var elements = new JsonArray();
        foreach (var e in Elements)
        {
            var item = new JsonObject { ["id"] = e.Id, ["kind"] = e.Kind.ToString().ToLowerInvariant(), ["role"] = e.Role };
            switch (e.Kind)
            {
                case ElementKind.Control:
                    item["name"] = e.NameIsData && !allowPhi ? StructuredChat.Shape(e.Name) : Text(e.Name);
                    break;
                case ElementKind.Field:
                    item["label"] = Text(e.Name);
                    break;
                case ElementKind.Value:
                    item["label"] = Text(e.Name);
                    item["value"] = Value(e.Value);
                    break;
                case ElementKind.Table:
                    item["heading"] = Text(e.Table?.Heading ?? e.Table?.FrameHeading ?? "");
                    item["columns"] = new JsonArray(e.Table!.Headers.Select(h => (JsonNode)Text(h)).ToArray());
                    item["rows"] = e.Table.Rows;
                    break;
            }
            elements.Add(item);
        }
        return new JsonObject
        {
            ["address"] = AddressShape(Address),
            ["title"] = Text(Title),
            ["headings"] = new JsonArray(Headings.Select(h => (JsonNode)Text(h)).ToArray()),
            ["elements"] = elements,
        };
    }

    /// <summary>
    /// The screen's structure as a hash: the address shape, the headings and the elements' kinds and masked names. The
    /// same screen for another patient has the same fingerprint; a screen that changed has another.
    /// </summary>
    public string Fingerprint()
    {
        var shape = ToPayload(allowPhi: false, knownPhi: [], secrets: []);
        foreach (var e in shape["elements"]!.AsArray())
        {
            // A value's shape changes with what was typed or read; the screen is the same.
            e!.AsObject().Remove("value");
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(shape.ToJsonString())))[..16];
    }

    /// <summary>The page's path with numbers masked and its query reduced to parameter names: where, never whom.</summary>
    public static string AddressShape(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            return "";
        }
        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')[0]).Order(StringComparer.Ordinal);
        var path = Digits().Replace(uri.AbsolutePath, "#");
        return query.Any() ? path + "?" + string.Join("&", query) : path;
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}

/// <summary>
/// Observes a web session: the controls, fields and labelled values the driver lists as candidates (the same lists
/// self-healing uses) and the page outline (title, headings, tables with headers and row counts, frames included).
/// </summary>
internal static class ScreenObserver
{
    private static readonly UiLocator Any = new(LocatorKind.Css, "*");

    public static async Task<Observation> ObserveAsync(IUiSession session, IReadOnlyList<string> knownPhi, CancellationToken cancellationToken)
    {
        var outline = await WebScreenOutline.ReadAsync(session, cancellationToken) ?? new WebOutline("", [], []);
        var elements = new List<ObservedElement>();
        var controls = await session.CandidatesAsync(UiElementKind.Control, Any, cancellationToken);
        foreach (var c in controls)
        {
            var name = c.Locator.Name ?? c.Locator.Value;
            var href = c.Fingerprint.Attributes.GetValueOrDefault("href");
            var isData = StructuredChat.Scrub(name, knownPhi) != name;
            elements.Add(new ObservedElement($"c{elements.Count(e => e.Kind == ElementKind.Control) + 1}", ElementKind.Control,
                c.Fingerprint.Role, name, c.Locator, isData, href));
        }
        foreach (var f in await session.CandidatesAsync(UiElementKind.Field, Any, cancellationToken))
        {
            var label = f.Fingerprint.Label.Length > 0 ? f.Fingerprint.Label : f.Locator.Value;
            elements.Add(new ObservedElement($"f{elements.Count(e => e.Kind == ElementKind.Field) + 1}", ElementKind.Field,
                f.Fingerprint.Role, label, f.Locator, NameIsData: false));
        }
        foreach (var v in await session.CandidatesAsync(UiElementKind.Value, Any, cancellationToken))
        {
            var read = await session.ReadTextAsync(UiTarget.Of(v.Locator), TimeSpan.FromSeconds(2), cancellationToken);
            elements.Add(new ObservedElement($"v{elements.Count(e => e.Kind == ElementKind.Value) + 1}", ElementKind.Value,
                "value", v.Locator.Value, v.Locator, NameIsData: false, Value: read.Ok ? read.Value : ""));
        }
        var tableNumber = 0;
        foreach (var t in outline.Tables)
        {
            var locator = t.Heading is { Length: > 0 } heading
                ? new UiLocator(LocatorKind.NearHeading, heading, Frame: t.Frame)
                : new UiLocator(LocatorKind.Css, "table", Index: t.Index, Frame: t.Frame);
            elements.Add(new ObservedElement($"t{++tableNumber}", ElementKind.Table, "table", t.Heading ?? t.FrameHeading ?? "", locator, NameIsData: false, Table: t));
        }
        return new Observation(session.Location, outline.Title, outline.Headings, elements);
    }
}
