// Fingerprints and healing candidates for self-healing targets (see docs/self-healing.md).
// A fingerprint holds the structure around an element, never what a value shows: a value's own text is PHI, so only
// label-like texts (short, ending in ':', no digits), control names, headings and column headers are kept.
(() => {
  const fold = s => (s || '').replace(/\s+/g, ' ').trim();
  const isCell = el => el && (el.tagName === 'TD' || el.tagName === 'TH');
  const fieldSelector = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]),select,textarea';
  const controlSelector = 'a[href],button,input[type=submit],input[type=button],input[type=reset],[role=button],[role=link],[role=tab],[onclick]';
  const isField = el => el.matches(fieldSelector);
  const isControl = el => el.matches(controlSelector);

  // Labels name things; they are short, end with a colon and carry no digits (dates, ids and counts do).
  const labelLike = t => t.length > 0 && t.length <= 40 && /:$/.test(t) && !/\d/.test(t);
  // Headings and column headers: short words without digits.
  const headingLike = t => t.length > 0 && t.length <= 60 && !/\d/.test(t);

  function visible(el) {
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) {
      return false;
    }
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none';
  }

  function text(el) {
    if (el.tagName === 'INPUT') {
      return ['submit', 'button', 'reset'].includes(el.type) ? fold(el.value) : '';
    }
    return fold(el.innerText);
  }

  function role(el) {
    const explicit = el.getAttribute('role');
    if (explicit) {
      return explicit;
    }
    switch (el.tagName) {
      case 'A': return 'link';
      case 'BUTTON': return 'button';
      case 'INPUT': return ['submit', 'button', 'reset', 'image'].includes(el.type) ? 'button'
        : el.type === 'checkbox' ? 'checkbox' : el.type === 'radio' ? 'radio' : 'textbox';
      case 'SELECT': return 'combobox';
      case 'TEXTAREA': return 'textbox';
      case 'TD': return 'cell';
      case 'TH': return 'columnheader';
      case 'TABLE': return 'table';
      case 'UL': case 'OL': return 'list';
      default: return el.tagName.toLowerCase();
    }
  }

  function path(el) {
    const parts = [];
    for (let e = el; e && e.parentElement && e.tagName !== 'BODY'; e = e.parentElement) {
      parts.unshift(`${e.tagName.toLowerCase()}[${[...e.parentElement.children].indexOf(e)}]`);
    }
    return ['body', ...parts].join('/');
  }

  // Ids, names, types and classes are structure; a link's address is kept as its path with numbers masked and the
  // names of its query parameters (their values can be search terms: names, MRNs).
  function attributes(el) {
    const a = {};
    for (const name of ['id', 'name', 'type', 'class']) {
      const v = el.getAttribute(name);
      if (v) {
        a[name] = v;
      }
    }
    const href = el.getAttribute('href');
    if (href) {
      try {
        const u = new URL(href, el.ownerDocument.baseURI);
        a.href = u.pathname.replace(/\d+/g, '#') + (u.search ? '?' + [...u.searchParams.keys()].sort().join('&') : '');
      } catch {
        // A script link or a broken address says nothing about structure.
      }
    }
    return a;
  }

  function previousCell(cell) {
    let p = cell.previousElementSibling;
    while (p && !isCell(p)) {
      p = p.previousElementSibling;
    }
    return p;
  }

  function headersOf(table) {
    const header = [...table.rows].find(r => r.cells.length > 0 && [...r.cells].every(c => c.tagName === 'TH'))
      || (table.tHead && table.tHead.rows[0]);
    return header ? [...header.cells].map(c => fold(c.innerText)).filter(headingLike) : [];
  }

  // The nearest heading-like bold text, title or caption before the element, in document order.
  function headingBefore(el) {
    const found = el.ownerDocument.evaluate(
      'preceding::*[self::b or self::strong or self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::caption or self::legend]',
      el, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
    for (let i = found.snapshotLength - 1; i >= 0 && i >= found.snapshotLength - 8; i--) {
      const t = text(found.snapshotItem(i));
      if (headingLike(t)) {
        return t;
      }
    }
    return '';
  }

  function labelOf(el, kind) {
    if (kind === 'Control') {
      return text(el) || fold(el.getAttribute('aria-label')) || fold(el.getAttribute('title'));
    }
    if (kind === 'Table') {
      return headingBefore(el);
    }
    if (el.labels && el.labels.length) {
      return fold(el.labels[0].innerText);
    }
    if (el.getAttribute('aria-label')) {
      return fold(el.getAttribute('aria-label'));
    }
    const cell = isCell(el) ? el : el.closest('td,th');
    const before = cell && previousCell(cell);
    const t = before ? text(before) : '';
    return labelLike(t) ? t : '';
  }

  function nearby(el, kind) {
    if (kind === 'Table') {
      return [];
    }
    const box = kind === 'Control' ? (el.closest('tr') || el.parentElement) : (el.closest('table') || el.parentElement);
    if (!box) {
      return [];
    }
    const texts = [];
    if (kind === 'Control') {
      for (const c of box.querySelectorAll(controlSelector)) {
        const t = text(c);
        if (c !== el && t && t.length <= 40 && !/\d/.test(t)) {
          texts.push(t);
        }
      }
    } else {
      for (const c of box.querySelectorAll('td,th,label')) {
        const t = text(c);
        if (!c.contains(el) && labelLike(t)) {
          texts.push(t);
        }
      }
    }
    return [...new Set(texts)].slice(0, 16);
  }

  function fingerprint(el, kind) {
    const r = el.getBoundingClientRect();
    const doc = el.ownerDocument.documentElement;
    const width = Math.max(doc.scrollWidth, 1);
    const height = Math.max(doc.scrollHeight, 1);
    return {
      kind,
      role: role(el),
      label: labelOf(el, kind),
      nearby: nearby(el, kind),
      attributes: attributes(el),
      path: path(el),
      x: Math.min(1, Math.max(0, (r.left + r.width / 2 + window.scrollX) / width)),
      y: Math.min(1, Math.max(0, (r.top + r.height / 2 + window.scrollY) / height)),
      headers: kind === 'Table' ? headersOf(el.tagName === 'TABLE' ? el : (el.querySelector('table') || el)) : [],
    };
  }

  // What kind of element a resolved target is, when the caller does not say.
  function kindOf(el) {
    if (el.tagName === 'TABLE' || el.tagName === 'UL' || el.tagName === 'OL') {
      return 'Table';
    }
    if (isField(el)) {
      return 'Field';
    }
    if (isControl(el) || el.closest(controlSelector)) {
      return 'Control';
    }
    return 'Value';
  }

  function candidates(kind) {
    const body = document.body;
    if (!body) {
      return [];
    }
    const out = [];
    if (kind === 'Value') {
      for (const cell of body.querySelectorAll('td,th')) {
        const label = text(cell);
        if (!labelLike(label) || !visible(cell)) {
          continue;
        }
        let value = cell.nextElementSibling;
        while (value && !isCell(value)) {
          value = value.nextElementSibling;
        }
        if (value && visible(value) && !labelLike(text(value))) {
          out.push({ fp: fingerprint(value, 'Value'), loc: { kind: 'RightOf', value: label } });
        }
      }
    } else if (kind === 'Control') {
      for (const el of body.querySelectorAll(controlSelector)) {
        const name = text(el);
        if (!name || name.length > 60 || !visible(el)) {
          continue;
        }
        const r = role(el);
        out.push({ fp: fingerprint(el, 'Control'), loc: { kind: 'Role', value: ['link', 'button', 'tab'].includes(r) ? r : 'link', name } });
      }
      // A tab strip draws the tab that is open as plain text among the links to the others: clicking it keeps the
      // screen that a click on its old name would have opened.
      for (const row of body.querySelectorAll('tr')) {
        const cells = [...row.cells];
        if (cells.filter(c => c.querySelector(controlSelector)).length < 2) {
          continue;
        }
        for (const cell of cells) {
          const t = text(cell);
          if (cell.querySelector(controlSelector) || !t || t.length > 40 || /\d/.test(t) || !visible(cell)) {
            continue;
          }
          const fp = fingerprint(cell, 'Control');
          fp.role = 'link';
          out.push({ fp, loc: { kind: 'Text', value: t } });
        }
      }
    } else if (kind === 'Field') {
      for (const el of body.querySelectorAll(fieldSelector)) {
        if (!visible(el)) {
          continue;
        }
        const label = labelOf(el, 'Field');
        const id = el.getAttribute('id');
        const name = el.getAttribute('name');
        const loc = label ? { kind: 'Label', value: label }
          : id ? { kind: 'Css', value: '#' + CSS.escape(id) }
          : name ? { kind: 'Css', value: `${el.tagName.toLowerCase()}[name="${name}"]` } : null;
        if (loc) {
          out.push({ fp: fingerprint(el, 'Field'), loc });
        }
      }
    } else if (kind === 'Table') {
      for (const table of body.querySelectorAll('table')) {
        if (!visible(table) || headersOf(table).length === 0) {
          continue;
        }
        const heading = headingBefore(table);
        if (heading) {
          out.push({ fp: fingerprint(table, 'Table'), loc: { kind: 'NearHeading', value: heading } });
        }
      }
    }
    return out;
  }

  return { fingerprint: (el, kind) => fingerprint(el, kind || kindOf(el)), candidates };
})()
