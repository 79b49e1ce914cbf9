// Playwright selector engine "rpaworker": the target kinds legacy screens need and Playwright lacks.
// The selector is a URI-encoded JSON object { k: kind, v: text, x: exact }, kinds:
//   text     the smallest visible element whose text matches (a link or button when the text sits inside one)
//   label    the first field in the cell after a label cell
//   rightof  the cell after a label cell, else the nearest visible element to the label's right on its line
//   below    the cell in the same column of the next row, else the nearest visible element under the label
//   heading  the first table or list after a heading-like element
// Matches are ranked: whole text with the same case, whole text in any case, then (unless exact) a case-insensitive
// substring; only the best rank that yields something is returned. For label-like kinds a trailing ':' is optional on
// both sides, so "DOB" finds "DOB:" and "DOB:" finds "DOB".
(() => {
  const skip = new Set(['HTML', 'HEAD', 'TITLE', 'META', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION']);
  const fold = s => (s || '').replace(/\s+/g, ' ').trim();
  const stripColon = s => s.replace(/\s*:$/, '');
  const isCell = el => el.tagName === 'TD' || el.tagName === 'TH';
  const isField = el => ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName);
  const fieldSelector = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]),select,textarea';

  // All text, hidden parts included: cheap, so it serves to rule elements out.
  function textOf(el) {
    if (el.tagName === 'INPUT') {
      return ['submit', 'button', 'reset'].includes(el.type) ? fold(el.value) : '';
    }
    return fold(el.textContent);
  }

  // The text as rendered, without hidden parts (a closed popup inside a visible box).
  function shownText(el) {
    return el.tagName === 'INPUT' ? textOf(el) : fold(el.innerText);
  }

  function visible(el) {
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) {
      return false;
    }
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none';
  }

  // 0: same text; 1: same text in another case; 2: contains it in any case; -1: no match.
  function rank(text, wanted, exact, colon) {
    const t = colon ? stripColon(text) : text;
    const w = colon ? stripColon(wanted) : wanted;
    if (t === w) {
      return 0;
    }
    if (exact) {
      return -1;
    }
    const tl = t.toLowerCase();
    const wl = w.toLowerCase();
    return tl === wl ? 1 : tl.includes(wl) ? 2 : -1;
  }

  // Visible elements whose text matches and that hold no smaller matching element.
  function matches(root, wanted, exact, colon) {
    const w = fold(wanted);
    const needle = (colon ? stripColon(w) : w).toLowerCase();
    const elements = root.nodeType === 1 ? [root, ...root.querySelectorAll('*')] : [...root.querySelectorAll('*')];
    const found = [];
    for (const el of elements) {
      if (skip.has(el.tagName) || el.closest('head')) {
        continue;
      }
      if (!textOf(el).toLowerCase().includes(needle) || !visible(el)) {
        continue;
      }
      const r = rank(shownText(el), w, exact, colon);
      if (r >= 0) {
        found.push({ el, rank: r });
      }
    }
    return found.filter(c => !found.some(o => o !== c && c.el.contains(o.el)));
  }

  function nextCell(cell) {
    let n = cell.nextElementSibling;
    while (n && !isCell(n)) {
      n = n.nextElementSibling;
    }
    return n;
  }

  // The table cell the label is, when the label fills it (a label inside a longer cell is not that cell's label).
  function labelCell(el) {
    const cell = el.closest('td,th');
    return cell && shownText(cell) === shownText(el) ? cell : null;
  }

  function valueLike(el) {
    return isField(el) || (el.children.length === 0 && fold(el.textContent) !== '');
  }

  function nearest(label, direction) {
    const a = label.getBoundingClientRect();
    let best = null;
    let bestDistance = Infinity;
    for (const el of label.ownerDocument.body.querySelectorAll('*')) {
      if (el === label || el.contains(label) || label.contains(el) || skip.has(el.tagName) || !valueLike(el) || !visible(el)) {
        continue;
      }
      const r = el.getBoundingClientRect();
      let distance;
      if (direction === 'right') {
        if (r.left < a.right - 1 || r.bottom <= a.top || r.top >= a.bottom) {
          continue;
        }
        distance = r.left - a.right;
      } else {
        if (r.top < a.bottom - 1 || r.right <= a.left || r.left >= a.right) {
          continue;
        }
        distance = r.top - a.bottom;
      }
      if (distance < bestDistance) {
        bestDistance = distance;
        best = el;
      }
    }
    return best;
  }

  function column(cell) {
    let col = 0;
    for (const c of cell.parentElement.cells) {
      if (c === cell) {
        return col;
      }
      col += c.colSpan;
    }
    return col;
  }

  function cellAt(row, col) {
    let x = 0;
    for (const c of row.cells) {
      if (col >= x && col < x + c.colSpan) {
        return c;
      }
      x += c.colSpan;
    }
    return null;
  }

  const resolvers = {
    text: el => el.closest('a,button,[role=button],[role=link],[role=tab],[onclick]') || el,
    label: el => {
      const cell = labelCell(el);
      const value = cell && nextCell(cell);
      return value && value.querySelector(fieldSelector);
    },
    rightof: el => {
      const cell = labelCell(el);
      return cell ? nextCell(cell) : nearest(el, 'right');
    },
    below: el => {
      const cell = labelCell(el);
      if (!cell) {
        return nearest(el, 'below');
      }
      const table = cell.closest('table');
      const rows = [...table.rows];
      const next = rows[rows.indexOf(cell.parentElement) + 1];
      return next ? cellAt(next, column(cell)) : null;
    },
    heading: el => el.ownerDocument.evaluate(
      'following::*[self::table or self::ul or self::ol][1]', el, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue,
  };

  function queryAll(root, selector) {
    const q = JSON.parse(decodeURIComponent(selector));
    const resolve = resolvers[q.k];
    let found = matches(root, q.v, q.x, q.k !== 'text')
      .map(c => ({ from: c.el, el: resolve(c.el), rank: c.rank }))
      .filter(c => c.el);
    if (q.k === 'heading') {
      // A tab or title with the same words precedes the box holding the real heading: the nearer heading wins.
      found = found.filter(c => !found.some(o => o !== c && c.el.contains(o.from)));
    }
    if (found.length === 0) {
      return [];
    }
    const best = Math.min(...found.map(c => c.rank));
    return [...new Set(found.filter(c => c.rank === best).map(c => c.el))];
  }

  return {
    query: (root, selector) => queryAll(root, selector)[0] || null,
    queryAll,
  };
})()
