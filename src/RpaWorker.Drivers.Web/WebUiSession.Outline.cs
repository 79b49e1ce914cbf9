using System.Text.Json;
using Microsoft.Playwright;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Web;

/// <summary>A web page's outline: what an explorer (a person or a model) needs to find its way, not what the page says about a patient.</summary>
/// <param name="Title">The document's title. It can hold PHI (a chart page is titled with the patient's name): mask it before sending it anywhere.</param>
/// <param name="Headings">Heading-like texts (headings, bold section titles, captions) in page order, frames included.</param>
/// <param name="Tables">The tables that have a header row, frames included.</param>
public sealed record WebOutline(string Title, IReadOnlyList<string> Headings, IReadOnlyList<WebOutlineTable> Tables);

/// <summary>A table with a header row.</summary>
/// <param name="Heading">The heading before it in its own document (what <c>near_heading</c> finds), or null.</param>
/// <param name="FrameHeading">For a table in a child frame: the heading before the frame in the page around it, or null.</param>
/// <param name="Headers">The column headers.</param>
/// <param name="Rows">Data rows on this page (message and pager rows left out).</param>
/// <param name="Frame">The CSS selector of its frame, null for the top document.</param>
/// <param name="Index">Its position among the <c>table</c> elements of its document, for a <c>css: table</c> locator with an index.</param>
public sealed record WebOutlineTable(string? Heading, string? FrameHeading, IReadOnlyList<string> Headers, int Rows, string? Frame, int Index);

/// <summary>Reads a web session's outline.</summary>
public static class WebScreenOutline
{
    /// <summary>
    /// The outline of the page <paramref name="session"/> shows now (no waiting), or null when the session is not a web
    /// session or the page cannot be read (a native dialog is open, the page is navigating).
    /// </summary>
    public static Task<WebOutline?> ReadAsync(IUiSession session, CancellationToken cancellationToken) =>
        session is WebUiSession web ? web.OutlineAsync(cancellationToken) : Task.FromResult<WebOutline?>(null);
}

// The outline query: headings, tables with their headers and row counts, and the heading before each child frame.
internal sealed partial class WebUiSession
{
    private const string OutlineScript = """
        () => {
          const fold = s => (s || '').replace(/\s+/g, ' ').trim();
          const headingLike = t => t.length > 0 && t.length <= 60 && !/\d/.test(t);
          const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
          const headingSelector = 'h1,h2,h3,h4,h5,h6,b,strong,caption,legend';
          const headingBefore = el => {
            const found = el.ownerDocument.evaluate(
              'preceding::*[self::b or self::strong or self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::caption or self::legend]',
              el, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
            for (let i = found.snapshotLength - 1; i >= 0 && i >= found.snapshotLength - 8; i--) {
              const t = fold(found.snapshotItem(i).innerText);
              if (headingLike(t)) return t;
            }
            return null;
          };
          const headings = [];
          for (const h of document.querySelectorAll(headingSelector)) {
            const t = fold(h.innerText);
            if (t && t.length <= 80 && visible(h) && !h.closest('a,th') && !headings.includes(t)) headings.push(t);
          }
          const tables = [];
          [...document.querySelectorAll('table')].forEach((table, index) => {
            const rows = [...table.rows];
            const header = rows.find(r => r.cells.length > 0 && [...r.cells].every(c => c.tagName === 'TH'));
            if (!header || !visible(table)) return;
            const headers = [...header.cells].map(c => fold(c.innerText));
            const count = rows.filter(r => r !== header && [...r.cells].filter(c => c.tagName === 'TD').length === headers.length).length;
            tables.push({ heading: headingBefore(table), headers, rows: count, index });
          });
          const frames = [...document.querySelectorAll('iframe[name]')].map(f => ({ name: f.getAttribute('name'), heading: headingBefore(f) }));
          return { title: fold(document.title), headings, tables, frames };
        }
        """;

    internal async Task<WebOutline?> OutlineAsync(CancellationToken cancellationToken)
    {
        if (_gone || _dialog is not null)
        {
            return null;
        }
        try
        {
            var top = await GuardAsync(_page.MainFrame.EvaluateAsync<JsonElement>(OutlineScript), cancellationToken);
            var headings = Strings(top.GetProperty("headings"));
            var tables = Tables(top, frame: null, frameHeading: null);
            var frameHeadings = top.GetProperty("frames").EnumerateArray()
                .ToDictionary(f => f.GetProperty("name").GetString() ?? "", f => f.GetProperty("heading").GetString(), StringComparer.Ordinal);
            foreach (var frame in _page.Frames)
            {
                // A locator names a child frame by a selector of its iframe: frames without a name cannot be written down.
                if (frame == _page.MainFrame || frame.IsDetached || string.IsNullOrEmpty(frame.Name))
                {
                    continue;
                }
                try
                {
                    var inner = await GuardAsync(frame.EvaluateAsync<JsonElement>(OutlineScript), cancellationToken);
                    headings.AddRange(Strings(inner.GetProperty("headings")).Where(h => !headings.Contains(h, StringComparer.Ordinal)));
                    tables.AddRange(Tables(inner, $"iframe[name=\"{frame.Name}\"]", frameHeadings.GetValueOrDefault(frame.Name)));
                }
                catch (PlaywrightException)
                {
                    // A frame that is detaching or navigating has nothing to show yet.
                }
            }
            return new WebOutline(top.GetProperty("title").GetString() ?? "", headings, tables);
        }
        catch (Exception e) when (e is DialogOpenedException or PlaywrightException or TimeoutException)
        {
            return null;
        }
    }

    private static List<WebOutlineTable> Tables(JsonElement outline, string? frame, string? frameHeading) =>
        outline.GetProperty("tables").EnumerateArray().Select(t => new WebOutlineTable(
            t.GetProperty("heading").GetString(),
            frameHeading,
            Strings(t.GetProperty("headers")),
            t.GetProperty("rows").GetInt32(),
            frame,
            t.GetProperty("index").GetInt32())).ToList();
}
