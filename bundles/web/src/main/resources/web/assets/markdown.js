// A small Markdown renderer that builds DOM nodes directly. It never parses HTML: raw HTML in
// the source stays visible text. Supported: paragraphs, headings, fenced and indented code
// blocks, block quotes, bullet and numbered lists, rules, inline code, **strong**, *emphasis*,
// ~~strike~~, [links](https://...) and bare http(s) URLs. Links are http(s) only.

import {h} from './dom.js';

export function renderMarkdown(source) {
  const root = document.createDocumentFragment();
  const lines = String(source ?? '').replace(/\r\n?/g, '\n').split('\n');
  blocks(lines, root);
  const wrapper = h('div', {class: 'md'});
  wrapper.appendChild(root);
  return wrapper;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+.#-]*)\s*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const BULLET = /^( {0,3})([-*+])\s+(.*)$/;
const ORDERED = /^( {0,3})(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;

function blocks(lines, parent) {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    let m;
    if ((m = FENCE.exec(line))) {
      const close = m[1];
      const body = [];
      i++;
      const isClose = (l) => {
        const t = l.trim();
        return t.length >= close.length && t === close[0].repeat(t.length);
      };
      while (i < lines.length && !isClose(lines[i])) {
        body.push(lines[i]);
        i++;
      }
      i++; // the closing fence (or the end)
      const code = h('code', m[2] ? {'data-lang': m[2]} : null, body.join('\n'));
      parent.appendChild(h('pre', {tabindex: '0'}, code));
      continue;
    }
    if (/^( {4}|\t)/.test(line)) {
      const body = [];
      while (i < lines.length && (/^( {4}|\t)/.test(lines[i]) || !lines[i].trim())) {
        body.push(lines[i].replace(/^( {4}|\t)/, ''));
        i++;
      }
      while (body.length && !body[body.length - 1].trim()) body.pop();
      parent.appendChild(h('pre', {tabindex: '0'}, h('code', null, body.join('\n'))));
      continue;
    }
    if ((m = HEADING.exec(line))) {
      const level = Math.min(6, m[1].length + 2); // a reply's headings sit below the page's own
      parent.appendChild(inline(h(`h${level}`), m[2]));
      i++;
      continue;
    }
    if (RULE.test(line)) {
      parent.appendChild(h('hr'));
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body = [];
      while (i < lines.length && (m = QUOTE.exec(lines[i]))) {
        body.push(m[1]);
        i++;
      }
      const quote = h('blockquote');
      blocks(body, quote);
      parent.appendChild(quote);
      continue;
    }
    if (BULLET.test(line) || ORDERED.test(line)) {
      i = list(lines, i, parent);
      continue;
    }
    const para = [];
    while (i < lines.length && lines[i].trim() && !FENCE.test(lines[i]) && !HEADING.test(lines[i])
      && !QUOTE.test(lines[i]) && !BULLET.test(lines[i]) && !ORDERED.test(lines[i]) && !RULE.test(lines[i])) {
      para.push(lines[i].trim());
      i++;
    }
    const p = h('p');
    para.forEach((text, n) => {
      if (n > 0) p.appendChild(/ {2}$|\\$/.test(para[n - 1]) ? h('br') : document.createTextNode(' '));
      inline(p, text.replace(/\\$/, ''));
    });
    parent.appendChild(p);
  }
}

function list(lines, i, parent) {
  const ordered = ORDERED.test(lines[i]);
  const first = ordered ? ORDERED.exec(lines[i]) : null;
  const el = ordered ? h('ol', first[2] !== '1' ? {start: first[2]} : null) : h('ul');
  const marker = ordered ? ORDERED : BULLET;
  while (i < lines.length) {
    const m = marker.exec(lines[i]);
    if (!m) break;
    const item = [m[3]];
    i++;
    // continuation lines: indented, or lazy paragraph text
    while (i < lines.length && lines[i].trim() && !BULLET.test(lines[i]) && !ORDERED.test(lines[i])) {
      item.push(lines[i].replace(/^\s{1,4}/, ''));
      i++;
    }
    // nested list: indented markers
    const nested = [];
    while (i < lines.length && /^\s{2,}([-*+]|\d+[.)])\s+/.test(lines[i])) {
      nested.push(lines[i].replace(/^\s{2,4}/, ''));
      i++;
      while (i < lines.length && /^\s{4,}\S/.test(lines[i]) && !/^\s{2,}([-*+]|\d+[.)])\s+/.test(lines[i])) {
        nested.push(lines[i].replace(/^\s{2,4}/, ''));
        i++;
      }
    }
    const li = h('li');
    inline(li, item.join(' '));
    if (nested.length) blocks(nested, li);
    el.appendChild(li);
    if (i < lines.length && !lines[i].trim() && i + 1 < lines.length && marker.test(lines[i + 1])) i++;
  }
  parent.appendChild(el);
  return i;
}

// ---- inline ------------------------------------------------------------------------------

const INLINE = [
  // [text](url "title")
  {re: /\[([^\]\n]+)\]\(\s*([^\s)]+)(?:\s+"[^"]*")?\s*\)/y, make: (m) => link(m[2], m[1])},
  {re: /<(https?:\/\/[^\s>]+)>/y, make: (m) => link(m[1], m[1])},
  {re: /https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"*_~]/y, make: (m) => link(m[0], m[0])},
  {re: /(`+)([\s\S]+?)\1(?!`)/y, make: (m) => h('code', null, m[2].replace(/^ (.*) $/, '$1'))},
  {re: /\*\*(?=\S)([\s\S]+?\S)\*\*/y, make: (m) => inline(h('strong'), m[1])},
  {re: /__(?=\S)([\s\S]+?\S)__(?!\w)/y, make: (m) => inline(h('strong'), m[1])},
  {re: /~~(?=\S)([\s\S]+?\S)~~/y, make: (m) => inline(h('del'), m[1])},
  {re: /\*(?=\S)([\s\S]+?\S)\*/y, make: (m) => inline(h('em'), m[1])},
  {re: /_(?=\S)([\s\S]+?\S)_(?!\w)/y, make: (m) => inline(h('em'), m[1])},
  {re: /\\([\\`*_{}[\]()#+\-.!~>])/y, make: (m) => document.createTextNode(m[1])},
];

function inline(parent, text) {
  let plain = '';
  let i = 0;
  const flush = () => {
    if (plain) parent.appendChild(document.createTextNode(plain));
    plain = '';
  };
  outer: while (i < text.length) {
    const c = text[i];
    if ('[<h`*_~\\'.includes(c)) {
      // an underscore inside a word is not emphasis
      if (c === '_' && i > 0 && /\w/.test(text[i - 1])) {
        plain += c;
        i++;
        continue;
      }
      for (const rule of INLINE) {
        rule.re.lastIndex = i;
        const m = rule.re.exec(text);
        if (m) {
          flush();
          parent.appendChild(rule.make(m));
          i += m[0].length;
          continue outer;
        }
      }
    }
    plain += c;
    i++;
  }
  flush();
  return parent;
}

/** A link only for http(s) URLs; anything else (javascript:, data:, relative) stays text. */
function link(href, label) {
  let url = null;
  try {
    url = new URL(href);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return document.createTextNode(label === href ? href : `${label} (${href})`);
  }
  const a = h('a', {href: url.href, rel: 'noopener noreferrer', target: '_blank'});
  if (label === href) a.textContent = label;
  else inline(a, label);
  return a;
}
