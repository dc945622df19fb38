// Overview: the server, its live record, the task store, workspaces, tasks by status, latest
// runs, and extensions with problems. Everything on it follows the event stream.

import {h, swap, chip, timeEl} from './dom.js';
import {pageHead, facts, scope, loading, errorBox, empty, code} from './ui.js';
import {stream, onStreamState, refresh} from './api.js';

const STATUSES = ['running', 'idle', 'waiting', 'blocked', 'failed', 'complete', 'disabled'];

export function overviewPage() {
  const s = scope();
  const hostBox = h('div', {class: 'card-body'}, loading('server facts'));
  const recordBox = h('div', {class: 'card-body'});
  const wsBox = h('div', {class: 'card-body'}, loading('workspaces'));
  const countsBox = h('div', {class: 'card-body'}, loading('tasks'));
  const runsBox = h('div', {class: 'card-body'});
  const extBox = h('div', {class: 'card-body'}, loading('extensions'));
  const storeBox = h('div', {class: 'card-body task-store'}, loading('task store'));
  let store; // the task store as /api/health last said; undefined until it answered

  const el = h('section', {class: 'page overview'},
    pageHead('Overview', 'This server, its workspaces and what they are doing.'),
    h('div', {class: 'grid'},
      card('Server', hostBox),
      card('Live record', recordBox),
      card('Tasks by status', countsBox),
      card('Task store', storeBox),
      card('Workspaces', wsBox, h('a', {href: '/workspaces', class: 'card-link'}, 'Manage')),
      card('Extensions with problems', extBox, h('a', {href: '/extensions', class: 'card-link'}, 'All extensions')),
      card('Latest runs', runsBox, null, 'wide')));

  // The first moment every card shows its data: measured (Navigation Timing) in docs/performance.md.
  const seen = new Set();
  let marked = false;
  const loaded = (what) => {
    seen.add(what);
    if (!marked && ['host', 'workspaces', 'tasks', 'extensions'].every((x) => seen.has(x))) {
      marked = true;
      requestAnimationFrame(() => performance.mark('heddle:overview-complete'));
    }
  };

  let host = null;
  s.watch('/api/runtime-host', (r) => {
    loaded('host');
    if (r.error) {
      swap(hostBox, errorBox(r.error));
      return;
    }
    host = r.data;
    swap(hostBox, facts([
      ['Mode', host.mode],
      ['Server id', code(host.serverId)],
      ['Endpoint', code(`http://${host.endpoint.host}:${host.endpoint.port}`)],
      ['Process', code(String(host.pid))],
      ['Started', timeEl(host.startedAt)],
      ['Workspace', code(host.workspaceRoot)],
      ['State folder', code(host.stateRoot)],
      ['Registry', code(host.registryPath)],
    ]));
    renderRecord();
  });

  function renderRecord() {
    if (!host) return;
    const record = host.liveRecord || null;
    const seen = record && record.lastSeenAt ? record.lastSeenAt : host.lastSeenAt;
    swap(recordBox,
      h('p', {class: 'record-line'}, host.owner ? chip('owner', 'owner') : chip('standby', 'standby'), ' ',
        host.owner
          ? 'This server holds the live record of this machine and refreshes it with its heartbeat.'
          : 'Another, newer server holds the live record; this one keeps serving and claims the record again when it is free.'),
      facts([
        ['Freshness', record ? h('span', {class: 'record-freshness'}, record.fresh ? chip('fresh', 'fresh') : chip('stale', 'stale'), ' ',
          h('span', {class: 'muted'}, `heartbeat ${ageText(record.ageMs)} old when asked`)) : null],
        ['Last refreshed', seen ? timeEl(seen) : null],
        ['Held by', record && record.serverId ? code(record.serverId) : null],
        ['Event stream', h('span', null, stream.state === 'open' ? 'live' : stream.state,
          stream.state === 'open' && stream.since ? h('span', {class: 'muted'}, ' since ', timeEl(new Date(stream.since).toISOString())) : null)],
      ]));
  }
  s.add(onStreamState(renderRecord));

  function ageText(ms) {
    if (typeof ms !== 'number') return '?';
    return ms < 1000 ? `${ms} ms` : ms < 120000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60000)} min`;
  }

  // Tasks of every workspace of the catalog: one watched list per workspace.
  const taskLists = new Map();
  const taskSubs = new Map();
  let workspaces = [];
  s.watch('/api/workspaces', (r) => {
    if (r.error) {
      swap(wsBox, errorBox(r.error));
      return;
    }
    workspaces = r.data.workspaces || [];
    loaded('workspaces');
    if (!workspaces.length) loaded('tasks');
    const known = r.data.knownWorkspaces || [];
    swap(wsBox, workspaces.length
      ? h('ul', {class: 'plain-list'}, workspaces.map((w) => h('li', null,
        h('a', {href: `/w/${w.id}/tasks`}, w.name || w.id),
        w.id === r.data.activeWorkspaceId ? chip('active', 'active') : null,
        h('div', {class: 'muted small path'}, w.workspaceRoot))))
      : empty('No workspaces', 'Add one on the Workspaces page.'),
    known.length ? h('p', {class: 'muted small'}, `${known.length} known to the registry of this machine.`) : null);
    for (const w of workspaces) {
      if (taskSubs.has(w.id)) continue;
      const url = `/api/workspaces/${w.id}/heartbeat/tasks`;
      taskSubs.set(w.id, watchInto(url, w.id));
    }
    for (const [id, off] of taskSubs) {
      if (!workspaces.some((w) => w.id === id)) {
        off();
        taskSubs.delete(id);
        taskLists.delete(id);
      }
    }
    renderTasks();
  });

  // Where the tasks are kept (from /api/health): the files, or a shared database with the
  // servers that use it. Read again on task events and every 10 s (the servers' times move).
  s.watch('/api/health', (r) => {
    if (r.error) {
      swap(storeBox, errorBox(r.error));
      return;
    }
    store = r.data.taskStore || null;
    renderStore();
  });
  const storeTimer = setInterval(() => refresh('/api/health'), 10000);
  s.add(() => clearInterval(storeTimer));

  function renderStore() {
    if (store === undefined) return;
    let waiting = 0;
    for (const list of taskLists.values()) waiting += list.waiting || 0;
    if (!store) {
      swap(storeBox, h('p', {class: 'muted'}, 'This server does not say where its tasks are kept.'));
      return;
    }
    const where = store.location || {};
    const shared = store.kind !== 'file';
    const servers = store.servers || [];
    swap(storeBox,
      h('p', {class: 'store-line'}, chip(store.available ? 'ok' : 'failed', store.available ? 'available' : 'unavailable'), ' ',
        shared ? `Tasks are shared through ${store.kind === 'postgresql' ? 'PostgreSQL' : store.kind}.` : 'Tasks are kept in each workspace\'s files.'),
      store.problem ? h('p', {class: 'store-problem'}, store.problem) : null,
      facts([
        ['Kind', code(store.kind)],
        ['Host', where.host ? code(`${where.host}:${where.port || ''}`) : null],
        ['Database', where.database ? code(where.database) : null],
        ['Namespace', where.namespace ? code(where.namespace) : null],
        ['Task files waiting', waiting ? h('span', {class: 'store-waiting'}, `${waiting} task file${waiting > 1 ? 's' : ''} not run while this store is in use (waiting to be imported)`) : null],
      ]),
      shared ? (servers.length
        ? h('table', {class: 'table store-servers'},
          h('thead', null, h('tr', null, h('th', null, 'Server'), h('th', null, 'Last claim'), h('th', null, 'Last renewal'))),
          h('tbody', null, servers.map((sv) => h('tr', null,
            h('td', null, code(sv.serverId)),
            h('td', null, sv.lastClaimAt ? timeEl(sv.lastClaimAt) : '-'),
            h('td', null, sv.lastRenewAt ? timeEl(sv.lastRenewAt) : '-')))))
        : h('p', {class: 'muted small'}, 'No server claimed a task in this namespace in the last day.')) : null);
  }

  function watchInto(url, wsId) {
    return s.watch(url, (r) => {
      taskLists.set(wsId, r.error ? {error: r.error} : {tasks: r.data.tasks || [], waiting: r.data.fileTasksWaiting || 0});
      if (workspaces.every((w) => taskLists.has(w.id))) loaded('tasks');
      renderTasks();
    });
  }

  function renderTasks() {
    const counts = Object.fromEntries(STATUSES.map((x) => [x, 0]));
    const latest = [];
    const problems = [];
    let total = 0;
    for (const [wsId, list] of taskLists) {
      if (list.error) {
        problems.push([wsId, list.error]);
        continue;
      }
      for (const t of list.tasks) {
        total++;
        const status = t.enabled === false ? 'disabled' : (t.state && t.state.status) || 'idle';
        counts[status] = (counts[status] || 0) + 1;
        if (t.state && t.state.lastRunId) latest.push([wsId, t]);
      }
    }
    swap(countsBox,
      total === 0 && !problems.length ? empty('No tasks yet', 'Create one on a workspace\'s Tasks page.') : null,
      total ? h('ul', {class: 'counts'}, Object.entries(counts).filter(([, n]) => n > 0).map(([status, n]) =>
        h('li', null, h('span', {class: 'count'}, String(n)), chip(status)))) : null,
      problems.map(([wsId, e]) => errorBox(e, `Tasks of ${wsId} could not be read.`)));
    renderStore();
    latest.sort((a, b) => String(b[1].state.runAt || '').localeCompare(String(a[1].state.runAt || '')));
    const wsName = (id) => (workspaces.find((w) => w.id === id) || {}).name || id;
    swap(runsBox, latest.length
      ? h('table', {class: 'table'},
        h('thead', null, h('tr', null, h('th', null, 'Task'), h('th', null, 'Workspace'), h('th', null, 'Status'),
          h('th', null, 'When'), h('th', {class: 'hide-narrow'}, 'Outcome'))),
        h('tbody', null, latest.slice(0, 8).map(([wsId, t]) => h('tr', null,
          h('td', null, h('a', {href: `/w/${wsId}/tasks/${t.id}/runs/${t.state.lastRunId}`}, t.name || t.id)),
          h('td', {class: 'muted'}, wsName(wsId)),
          h('td', null, chip(t.state.status)),
          h('td', null, timeEl(t.state.runAt)),
          h('td', {class: 'hide-narrow clip'}, t.state.error || t.state.result || '')))))
      : empty('No runs yet', 'Runs appear here as tasks run.'));
  }

  s.watch('/api/extensions', (r) => {
    loaded('extensions');
    if (r.error) {
      swap(extBox, errorBox(r.error));
      return;
    }
    const list = r.data.extensions || [];
    const bad = list.filter((x) => x.error);
    swap(extBox, bad.length
      ? h('ul', {class: 'plain-list'}, bad.map((x) => h('li', null, h('strong', null, x.file), ' ', chip('failed', x.error.code),
        h('div', {class: 'small'}, x.error.message))))
      : h('p', {class: 'muted'}, list.length ? `All ${list.length} extension${list.length > 1 ? 's' : ''} fine.` : 'No extensions installed.'));
  });

  return {title: 'Overview', el, destroy: s.destroy};
}

function card(title, body, action, extra) {
  return h('section', {class: ['card', extra]},
    h('div', {class: 'card-head'}, h('h2', null, title), action || null), body);
}
