namespace RpaWorker.Drivers.Web;

/// <summary>Functions evaluated in the page. Text is folded the way the contract promises: whitespace runs to one space, trimmed.</summary>
internal static class PageScripts
{
    /// <summary>Fingerprints.js: an object with fingerprint(element, kind) and candidates(kind).</summary>
    public static string Fingerprints { get; } = Resource("RpaWorker.Drivers.Web.Fingerprints.js");

    /// <summary>A script embedded in this assembly.</summary>
    public static string Resource(string name)
    {
        using var stream = typeof(PageScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The page script {name} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private const string Fold = "const fold = s => (s || '').replace(/\\s+/g, ' ').trim();";

    /// <summary>A field's value (a list's chosen option), else the element's rendered text.</summary>
    public const string ReadText = $$"""
        e => {
          {{Fold}}
          if (e.tagName === 'SELECT') return fold(e.selectedIndex >= 0 ? e.options[e.selectedIndex].text : '');
          if (e.tagName === 'INPUT' || e.tagName === 'TEXTAREA') return fold(e.value);
          return fold(e.innerText);
        }
        """;

    /// <summary>
    /// The element's table (or the first table inside it) as { headers, rows }, or null. A list without a table reads as
    /// one row per item and no headers. Headers are the first row made of
    /// th cells, else the thead row. A row whose cell count differs from the header's and that has a spanning cell is a
    /// message or pager line ("No known problems", "Page 2 of 4") and is left out.
    /// </summary>
    public const string ReadTable = $$"""
        e => {
          {{Fold}}
          const table = e.tagName === 'TABLE' ? e : e.querySelector('table');
          if (!table) {
            const list = e.tagName === 'UL' || e.tagName === 'OL' ? e : e.querySelector('ul,ol');
            return list ? { headers: [], rows: [...list.children].filter(li => li.tagName === 'LI').map(li => [fold(li.innerText)]) } : null;
          }
          const rows = [...table.rows];
          let header = rows.find(r => r.cells.length > 0 && [...r.cells].every(c => c.tagName === 'TH'));
          if (!header && table.tHead && table.tHead.rows.length) header = table.tHead.rows[0];
          const headers = header ? [...header.cells].map(c => fold(c.innerText)) : [];
          const body = [];
          for (const r of rows) {
            if (r === header) continue;
            const cells = [...r.cells].filter(c => c.tagName === 'TD');
            if (cells.length === 0) continue;
            if (headers.length && cells.length !== headers.length && cells.some(c => c.colSpan > 1)) continue;
            body.push(cells.map(c => fold(c.innerText)));
          }
          return { headers, rows: body };
        }
        """;

    /// <summary>The index of the list option whose text is the wanted text (any case), else contains it; -1 when none.</summary>
    public const string OptionIndex = $$"""
        (e, wanted) => {
          {{Fold}}
          const w = fold(wanted).toLowerCase();
          const texts = [...e.options].map(o => fold(o.text).toLowerCase());
          const i = texts.indexOf(w);
          return i >= 0 ? i : texts.findIndex(t => t.includes(w));
        }
        """;

    /// <summary>Whether the document's rendered text contains the text, in any case.</summary>
    public const string ShowsText = $$"""
        t => {
          {{Fold}}
          return !!document.body && fold(document.body.innerText).toLowerCase().includes(fold(t).toLowerCase());
        }
        """;
}
