namespace RpaWorker.Bench.HandWritten;

/// <summary>
/// Page functions. A screen is read with one call (as a programmer would write it), not one call per cell; text is
/// folded like the product folds it (whitespace runs to one space, trimmed) so both read the same strings.
/// </summary>
internal static class Scripts
{
    /// <summary>
    /// Given label texts, the text of the cell after the first cell showing each label, in the element's document:
    /// the banner and the demographics both lay out "Label:" cells next to value cells.
    /// </summary>
    public const string LabelledValues = """
        (e, labels) => {
          const fold = s => (s || '').replace(/\s+/g, ' ').trim();
          const wanted = new Set(labels);
          const values = {};
          for (const td of e.ownerDocument.querySelectorAll('td')) {
            const label = fold(td.textContent);
            if (wanted.has(label) && !(label in values) && td.nextElementSibling) {
              values[label] = fold(td.nextElementSibling.innerText);
            }
          }
          return values;
        }
        """;

    /// <summary>
    /// The grid a heading introduces (the first table after the heading's font element), or the table itself when the
    /// element is one: header texts and rows of cell texts, rows with a spanning cell ("No known problems") left out.
    /// A tab with nothing to show has no table ("No vitals recorded"): no headers, no rows. Also the MRN in the banner
    /// (null in a frame or on the patient list) and whether the pager offers a next page.
    /// </summary>
    public const string Grid = """
        e => {
          const fold = s => (s || '').replace(/\s+/g, ' ').trim();
          let table = e.tagName === 'TABLE' ? e : null;
          for (let n = e.closest('font'); !table && n; n = n.nextElementSibling) {
            if (n.tagName === 'TABLE') table = n;
          }
          const doc = e.ownerDocument;
          const mrnLabel = [...doc.querySelectorAll('td')].find(td => fold(td.textContent) === 'MRN:');
          const result = {
            mrn: mrnLabel && mrnLabel.nextElementSibling ? fold(mrnLabel.nextElementSibling.innerText) : null,
            next: [...doc.querySelectorAll('a')].some(a => fold(a.textContent) === 'Next >>'),
            headers: [],
            rows: [],
          };
          if (table && table.rows.length > 0) {
            const [header, ...body] = [...table.rows];
            result.headers = [...header.cells].map(c => fold(c.innerText));
            result.rows = body.filter(r => ![...r.cells].some(c => c.colSpan > 1)).map(r => [...r.cells].map(c => fold(c.innerText)));
          }
          return result;
        }
        """;
}
