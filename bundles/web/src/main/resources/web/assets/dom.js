// DOM building without HTML parsing: every text goes through textContent or a text node,
// so nothing the server sends is ever interpreted as markup.

const BOOLEAN_ATTRS = new Set(['disabled', 'checked', 'selected', 'required', 'hidden', 'open', 'multiple', 'readonly']);

/**
 * h('button', {class: 'primary', onclick: fn, 'aria-label': 'Run'}, 'Run now')
 * Children: strings and numbers become text nodes; null, undefined and false are skipped;
 * arrays are flattened.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) {
        // only functions: an event-handler attribute from a string would be code
        if (typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === 'class') {
        el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      } else if (key === 'dataset') {
        Object.assign(el.dataset, value);
      } else if (key === 'value') {
        el.value = value;
      } else if (key === 'text') {
        el.textContent = String(value);
      } else if (BOOLEAN_ATTRS.has(key)) {
        if (value) el.setAttribute(key, '');
        el[key] = Boolean(value);
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === true) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * Replaces the children of region, keeping keyboard focus on the element with the same
 * data-key (or id) when it exists again after the change.
 */
export function swap(region, ...children) {
  const active = document.activeElement;
  let key = null;
  if (active && region.contains(active)) {
    key = active.dataset.key ? ['key', active.dataset.key] : active.id ? ['id', active.id] : null;
  }
  region.replaceChildren();
  append(region, children);
  if (key) {
    const again = key[0] === 'key' ? region.querySelector(`[data-key="${CSS.escape(key[1])}"]`)
      : document.getElementById(key[1]);
    if (again) again.focus({preventScroll: true});
  }
}

let idCounter = 0;
export function uid(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// ---- formatting --------------------------------------------------------------------------

export function parseTime(value) {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

export function relTime(value, now = Date.now()) {
  const t = typeof value === 'number' ? value : parseTime(value);
  if (t === null) return '—';
  const d = Math.round((t - now) / 1000);
  const a = Math.abs(d);
  let text;
  if (a < 5) return 'just now';
  if (a < 60) text = `${a} s`;
  else if (a < 3600) text = `${Math.round(a / 60)} min`;
  else if (a < 86400) text = `${Math.round(a / 3600)} h`;
  else text = `${Math.round(a / 86400)} d`;
  return d < 0 ? `${text} ago` : `in ${text}`;
}

export function absTime(value) {
  const t = typeof value === 'number' ? value : parseTime(value);
  if (t === null) return '';
  return new Date(t).toLocaleString();
}

/** A <time> element: relative text, absolute time as tooltip; refreshed by the clock tick. */
export function timeEl(value) {
  const t = parseTime(value);
  if (t === null) return h('span', {class: 'muted'}, '—');
  return h('time', {datetime: value, title: absTime(t), class: 'rel'}, relTime(t));
}

export function refreshTimes(root = document) {
  const now = Date.now();
  for (const el of root.querySelectorAll('time.rel')) {
    el.textContent = relTime(parseTime(el.getAttribute('datetime')), now);
  }
}

export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;
  if (ms < 3600000) return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
  return `${Math.floor(ms / 3600000)} h ${Math.round((ms % 3600000) / 60000)} min`;
}

export function interval(ms) {
  if (!ms) return '—';
  const units = [[86400000, 'day'], [3600000, 'hour'], [60000, 'minute'], [1000, 'second']];
  for (const [size, name] of units) {
    if (ms % size === 0) {
      const n = ms / size;
      return n === 1 ? `every ${name}` : `every ${n} ${name}s`;
    }
  }
  return `every ${ms} ms`;
}

/** A status chip; the class follows the status word so colours stay consistent everywhere. */
export function chip(status, label) {
  const s = String(status || 'unknown').toLowerCase();
  return h('span', {class: `chip chip-${s.replace(/[^a-z_-]/g, '')}`}, label || s);
}

export function icon(name) {
  // Small inline SVG icons built as DOM (no markup strings).
  const paths = ICONS[name] || ICONS.dot;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  for (const d of paths) {
    const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}

const ICONS = {
  dot: ['M12 12h.01'],
  home: ['M3 11l9-8 9 8', 'M5 10v10h14V10'],
  tasks: ['M9 6h11', 'M9 12h11', 'M9 18h11', 'M4 6l1 1 2-2', 'M4 12l1 1 2-2', 'M4 18l1 1 2-2'],
  chat: ['M4 5h16v11H9l-5 4z'],
  folder: ['M3 6h6l2 2h10v11H3z'],
  puzzle: ['M5 8h4a2 2 0 1 1 4 0h4v4a2 2 0 1 1 0 4v4H5z'],
  pulse: ['M3 12h4l3-7 4 14 3-7h4'],
  plus: ['M12 5v14', 'M5 12h14'],
  play: ['M7 5l12 7-12 7z'],
  menu: ['M4 7h16', 'M4 12h16', 'M4 17h16'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  trash: ['M4 7h16', 'M9 7V4h6v3', 'M6 7l1 13h10l1-13'],
  edit: ['M4 20h4L20 8l-4-4L4 16z'],
  back: ['M15 5l-7 7 7 7'],
  send: ['M4 12l16-8-6 16-2-6z'],
  pause: ['M8 5v14', 'M16 5v14'],
  stop: ['M7 7h10v10H7z'],
  lock: ['M6 11h12v9H6z', 'M8 11V8a4 4 0 0 1 8 0v3'],
};
