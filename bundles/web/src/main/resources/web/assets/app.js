// The shell: header, sidebar, router, and the event routing that keeps every page live.

import {h, swap, icon, refreshTimes, chip} from './dom.js';
import {watch, refresh, refreshWhere, startEvents, onEvent, onStreamState, stream, checkSession, session,
  onSessionChange, peek} from './api.js';
import {signInHint} from './ui.js';
import {provideNavigation} from './nav.js';
import {overviewPage} from './overview.js';
import {workspacesPage} from './workspaces.js';
import {tasksPage} from './tasks.js';
import {chatPage} from './chat.js';
import {extensionsPage} from './extensions.js';
import {eventsPage, startEventLog} from './events.js';

const routes = [
  [/^\/$/, () => overviewPage()],
  [/^\/workspaces\/?$/, () => workspacesPage()],
  [/^\/w\/([^/]+)\/tasks\/?$/, (m) => tasksPage(m[1], null, null)],
  [/^\/w\/([^/]+)\/tasks\/([^/]+)\/?$/, (m) => tasksPage(m[1], m[2], null)],
  [/^\/w\/([^/]+)\/tasks\/([^/]+)\/runs\/([^/]+)\/?$/, (m) => tasksPage(m[1], m[2], m[3])],
  [/^\/w\/([^/]+)\/chat\/?$/, (m) => chatPage(m[1], null)],
  [/^\/w\/([^/]+)\/chat\/([^/]+)\/?$/, (m) => chatPage(m[1], m[2])],
  [/^\/extensions\/?$/, () => extensionsPage()],
  [/^\/events\/?$/, () => eventsPage()],
];

const NAV = [
  ['overview', 'Overview', 'home', () => '/'],
  ['tasks', 'Tasks', 'tasks', (ws) => (ws ? `/w/${ws}/tasks` : null)],
  ['chat', 'Chat', 'chat', (ws) => (ws ? `/w/${ws}/chat` : null)],
  ['workspaces', 'Workspaces', 'folder', () => '/workspaces'],
  ['extensions', 'Extensions', 'puzzle', () => '/extensions'],
  ['events', 'Events', 'pulse', () => '/events'],
];

// ---- the shell ----------------------------------------------------------------------------

const main = h('main', {id: 'main', tabindex: '-1'});
const navList = h('ul', {class: 'nav'});
const wsSelect = h('select', {id: 'ws-switch', 'aria-label': 'Workspace', onchange: () => switchWorkspace(wsSelect.value)});
const sidebar = h('nav', {class: 'sidebar', id: 'sidebar', 'aria-label': 'Main'},
  h('div', {class: 'brand'},
    h('a', {href: '/', class: 'brand-link'}, h('span', {class: 'logo', 'aria-hidden': 'true'}), 'Heddle'),
    h('button', {type: 'button', class: 'icon-btn sheet-close', 'aria-label': 'Close menu', onclick: () => setSheet(false)}, icon('close'))),
  h('label', {class: 'ws-label', for: 'ws-switch'}, 'Workspace'),
  wsSelect,
  navList,
  h('div', {class: 'side-facts', id: 'side-facts', 'aria-label': 'Server'}),
  h('div', {class: 'sidebar-foot', id: 'signin-foot'}));
const scrim = h('div', {class: 'scrim', onclick: () => setSheet(false)});
const menuButton = h('button', {type: 'button', class: 'icon-btn menu-btn', 'aria-label': 'Open menu',
  'aria-controls': 'sidebar', 'aria-expanded': 'false', onclick: () => setSheet(true)}, icon('menu'));
const hostFacts = h('div', {class: 'host-facts', 'aria-label': 'Server'});
const connection = h('div', {class: 'conn', role: 'status', 'aria-live': 'polite'});
const signInChip = h('div', {class: 'signin-chip'});
const header = h('header', {class: 'topbar'}, menuButton, hostFacts, h('div', {class: 'topbar-end'}, signInChip, connection));

document.body.replaceChildren(
  h('a', {href: '#main', class: 'skip'}, 'Skip to content'),
  h('div', {class: 'app'}, sidebar, scrim, h('div', {class: 'column'}, header, main)));

function setSheet(open) {
  document.body.classList.toggle('sheet-open', open);
  menuButton.setAttribute('aria-expanded', String(open));
  if (open) {
    const current = sidebar.querySelector('[aria-current="page"]') || sidebar.querySelector('a, select');
    if (current) current.focus();
  }
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && document.body.classList.contains('sheet-open')) {
    setSheet(false);
    menuButton.focus();
  }
});

// ---- the server's facts ---------------------------------------------------------------------

watch('/api/runtime-host', (r) => {
  if (r.error && !r.data) {
    swap(hostFacts, h('span', {class: 'muted'}, 'Server facts unavailable: ', r.error.message));
    return;
  }
  const host = r.data;
  const endpoint = `${host.endpoint.host}:${host.endpoint.port}`;
  swap(hostFacts,
    h('span', {class: 'fact mode', title: 'Mode'}, h('span', {class: 'sr'}, 'Mode '), host.mode),
    h('span', {class: 'fact', title: 'Owner: this server holds the live record. Standby: another, newer server holds it.'},
      host.owner ? chip('owner', 'owner') : chip('standby', 'standby')),
    h('span', {class: 'fact endpoint', title: 'Endpoint'}, h('span', {class: 'sr'}, 'Endpoint '), endpoint),
    h('span', {class: 'fact server-id', title: `serverId ${host.serverId}`}, h('span', {class: 'sr'}, 'Server id '), host.serverId));
  // the same facts in the menu sheet, where a phone's header has no room for them
  swap(document.getElementById('side-facts'),
    h('div', null, h('span', {class: 'muted'}, 'Endpoint '), h('code', null, endpoint)),
    h('div', null, h('span', {class: 'muted'}, 'Server '), h('code', null, host.serverId)));
});

// ---- workspaces and the switcher ------------------------------------------------------------

let currentWs = localStorage.getItem('heddle.ws') || null;

function workspaceList() {
  const data = peek('/api/workspaces');
  return data ? data.workspaces || [] : [];
}

function effectiveWs() {
  const list = workspaceList();
  if (currentWs && list.some((w) => w.id === currentWs)) return currentWs;
  const data = peek('/api/workspaces');
  return (data && data.activeWorkspaceId) || (list[0] && list[0].id) || currentWs;
}

function switchWorkspace(id) {
  currentWs = id;
  localStorage.setItem('heddle.ws', id);
  const path = location.pathname;
  const m = /^\/w\/[^/]+\/(tasks|chat)/.exec(path);
  navigate(m ? `/w/${id}/${m[1]}` : path === '/' || path === '/workspaces' ? path : `/w/${id}/tasks`);
}

watch('/api/workspaces', () => renderNav());

function renderNav() {
  const list = workspaceList();
  const ws = effectiveWs();
  const options = list.map((w) => h('option', {value: w.id, selected: w.id === ws}, w.name || w.id));
  if (!options.length) options.push(h('option', {value: ''}, 'No workspace'));
  swap(wsSelect, options);
  wsSelect.value = ws || '';
  const section = sectionOf(location.pathname);
  swap(navList, NAV.map(([key, label, ic, href]) => {
    const target = href(ws);
    return h('li', null, target
      ? h('a', {href: target, 'data-key': `nav-${key}`, 'aria-current': section === key ? 'page' : null}, icon(ic), h('span', null, label))
      : h('span', {class: 'nav-disabled'}, icon(ic), label));
  }));
}

function sectionOf(path) {
  if (path === '/') return 'overview';
  const m = /^\/(w\/[^/]+\/)?([a-z]+)/.exec(path);
  return m ? m[2] : '';
}

// ---- sign-in state --------------------------------------------------------------------------

function renderSignIn() {
  const foot = document.getElementById('signin-foot');
  if (session.signedIn === true) {
    swap(signInChip, h('span', {class: 'chip chip-signed-in', title: 'This browser holds the server\'s sign-in cookie.'}, 'signed in'));
    swap(foot);
  } else if (session.signedIn === false) {
    const details = h('details', {class: 'signin-pop'},
      h('summary', {'aria-label': 'Read-only: how to sign in'}, icon('lock'), h('span', null, 'read-only')),
      h('div', {class: 'pop'}, signInHint()));
    swap(signInChip, details);
    swap(foot, signInHint());
  } else {
    swap(signInChip);
    swap(foot);
  }
}
onSessionChange(renderSignIn);
window.addEventListener('focus', () => checkSession());
checkSession().then(renderSignIn);

// ---- the live connection --------------------------------------------------------------------

function renderConnection(state) {
  const words = {connecting: 'connecting…', open: 'live', reconnecting: 'reconnecting…'};
  const title = state === 'open' ? 'Receiving live events from the server.'
    : state === 'reconnecting' ? `The event stream broke off; reconnecting (attempt ${stream.attempts}). Missed events are replayed.`
      : 'Connecting to the event stream.';
  swap(connection, h('span', {class: `conn-dot conn-${state}`, 'aria-hidden': 'true'}), h('span', {class: 'conn-text', title}, words[state]));
  connection.dataset.state = state;
}
onStreamState(renderConnection);
renderConnection(stream.state);

// What each event means for what the pages show: fetch again what it changed.
onEvent((ev) => {
  const name = ev.name || '';
  const data = ev.data || {};
  if (name === 'stream.resync') {
    refreshWhere(() => true);
    checkSession();
    return;
  }
  if (name.startsWith('heartbeat.')) {
    if (data.workspaceId) refreshWhere((u) => u.startsWith(`/api/workspaces/${data.workspaceId}/heartbeat/`));
    else refreshWhere((u) => u.includes('/heartbeat/'));
  }
  if (name.includes('workspace') && !name.startsWith('heartbeat.')) {
    refresh('/api/workspaces');
    refreshWhere((u) => /^\/api\/workspaces\/[^/]+$/.test(u));
  }
  if (name.startsWith('extensions.')) refresh('/api/extensions');
  if (name.startsWith('server.') || name.startsWith('lifecycle.')) refresh('/api/runtime-host');
  if (name.startsWith('chat.')) {
    if (/session_(created|updated|deleted)|message_added|reply_done/.test(name)) refresh('/api/chat/sessions');
    if (data.sessionId && !/reply_chunk/.test(name)) refresh(`/api/chat/sessions/${data.sessionId}`);
  }
});

startEventLog();
startEvents();
setInterval(() => refreshTimes(), 15000); // relative times ("2 min ago") move on; no data is fetched

// ---- the router -----------------------------------------------------------------------------

let page = null;

function navigate(path, {replace = false} = {}) {
  if (path === location.pathname + location.search) {
    if (!replace) render(false);
    return;
  }
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render(true);
}

function render(moveFocus) {
  const path = location.pathname;
  const wsMatch = /^\/w\/([^/]+)\//.exec(path);
  if (wsMatch) {
    currentWs = decodeURIComponent(wsMatch[1]);
    localStorage.setItem('heddle.ws', currentWs);
  }
  if (page && page.destroy) page.destroy();
  page = null;
  for (const [re, make] of routes) {
    const m = re.exec(path);
    if (m) {
      page = make(m.map((x) => (x === undefined ? x : decodeURIComponent(x))));
      break;
    }
  }
  if (!page) {
    page = {title: 'Not found', el: h('section', {class: 'page'},
      h('h1', {tabindex: '-1'}, 'Page not found'),
      h('p', null, 'Nothing lives at ', h('code', null, path), '. ', h('a', {href: '/'}, 'Go to the overview'), '.'))};
  }
  swap(main, page.el);
  document.title = page.title ? `${page.title} · Heddle` : 'Heddle';
  renderNav();
  setSheet(false);
  if (moveFocus) {
    const heading = main.querySelector('h1');
    (heading || main).focus({preventScroll: true});
    window.scrollTo(0, 0);
  }
}

document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (url.hash && url.pathname === location.pathname) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', () => render(true));

// A page reached with ?token=… was already traded for the cookie by the server (it redirects);
// here only the signed-in state needs fetching.
provideNavigation(navigate, effectiveWs);
render(false);
