// Events: the live stream as a log, with a topic filter and pause.

import {h, swap, uid} from './dom.js';
import {onEvent, onStreamState, stream} from './api.js';
import {pageHead, scope} from './ui.js';

const MAX = 500;
const log = []; // newest last, from the moment this tab opened
const names = new Set();
const subscribers = new Set();

export function startEventLog() {
  onEvent((ev) => {
    if (ev.name === 'stream.resync') return;
    log.push(ev);
    if (log.length > MAX) log.shift();
    names.add(ev.name);
    for (const fn of subscribers) fn(ev);
  });
}

export function eventsPage() {
  const s = scope();
  let paused = false;
  let held = 0;
  const filterId = uid('filter');
  const listId = uid('names');
  const filter = h('input', {id: filterId, type: 'search', list: listId, placeholder: 'e.g. heartbeat.task', autocomplete: 'off',
    oninput: () => renderAll()});
  const datalist = h('datalist', {id: listId});
  const pauseBtn = h('button', {type: 'button', 'aria-pressed': 'false', onclick: () => {
    paused = !paused;
    pauseBtn.setAttribute('aria-pressed', String(paused));
    pauseBtn.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) {
      held = 0;
      renderAll();
    }
    renderCount();
  }}, 'Pause');
  const clearBtn = h('button', {type: 'button', onclick: () => {
    log.length = 0;
    held = 0;
    renderAll();
  }}, 'Clear');
  const count = h('p', {class: 'muted small', 'aria-live': 'polite'});
  const list = h('ol', {class: 'event-log', reversed: true});
  const el = h('section', {class: 'page'},
    pageHead('Events', 'Everything the server posts on /api/events, newest first, since this tab opened.'),
    h('div', {class: 'toolbar'},
      h('div', {class: 'field grow'}, h('label', {for: filterId}, 'Filter by event or topic'), filter, datalist),
      h('div', {class: 'field end'}, h('div', {class: 'actions'}, pauseBtn, clearBtn))),
    count, list);

  const matches = (ev) => {
    const q = filter.value.trim().toLowerCase();
    if (!q) return true;
    return ev.name.toLowerCase().includes(q) || String((ev.data && ev.data.topic) || '').toLowerCase().includes(q);
  };

  function renderCount() {
    const shown = log.filter(matches).length;
    swap(count, `${shown} event${shown === 1 ? '' : 's'} shown`,
      paused ? ` · paused${held ? `, ${held} new held back` : ''}` : '',
      stream.state !== 'open' ? ` · stream ${stream.state}` : '');
  }

  function renderAll() {
    swap(datalist, [...names].sort().map((n) => h('option', {value: n})));
    swap(list, log.filter(matches).reverse().map(entry));
    renderCount();
  }

  subscribers.add(onNew);
  s.add(() => subscribers.delete(onNew));
  s.add(onStreamState(renderCount));
  function onNew(ev) {
    if (paused) {
      held++;
      renderCount();
      return;
    }
    if (!names.has(ev.name) || datalist.children.length !== names.size) swap(datalist, [...names].sort().map((n) => h('option', {value: n})));
    if (matches(ev)) {
      list.prepend(entry(ev));
      while (list.children.length > MAX) list.lastChild.remove();
    }
    renderCount();
  }

  renderAll();
  return {title: 'Events', el, destroy: s.destroy};
}

const SKIP = new Set(['topic', 'id', 'serverId', 'workspaceId', 'taskId']);

function entry(ev) {
  const d = ev.data || {};
  const summary = Object.entries(d).filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('  ');
  return h('li', {class: 'event'},
    h('details', null,
      h('summary', null,
        h('time', {class: 'event-time', datetime: new Date(ev.receivedAt).toISOString()}, new Date(ev.receivedAt).toLocaleTimeString()),
        h('span', {class: `event-name ev-${ev.name.split('.')[0]}`}, ev.name),
        h('span', {class: 'event-summary'}, summary)),
      h('pre', {tabindex: '0'}, JSON.stringify(d, null, 2))));
}
