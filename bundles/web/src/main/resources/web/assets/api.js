// Talking to the server: JSON calls, the sign-in state, and the live event stream.

/** An error the API answered (or a network failure), in words. */
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
  get signInNeeded() {
    return this.status === 401;
  }
}

const listeners = new Set();
export const session = {
  /** true, false, or null when the server cannot say (no /api/session). */
  signedIn: null,
};

export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setSignedIn(value) {
  if (session.signedIn !== value) {
    session.signedIn = value;
    for (const fn of listeners) fn(value);
  }
}

export async function checkSession() {
  try {
    const res = await fetch('/api/session', {credentials: 'same-origin', headers: {Accept: 'application/json'}});
    if (res.status === 404) {
      setSignedIn(null);
      return;
    }
    if (res.ok) {
      const body = await res.json();
      setSignedIn(Boolean(body.signedIn));
    }
  } catch {
    // the connection indicator says when the server cannot be reached
  }
}

/** GET, POST, PATCH, PUT, DELETE with JSON; answers the parsed body (null for 204). */
export async function api(method, path, body) {
  const init = {method, credentials: 'same-origin', headers: {Accept: 'application/json'}};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'unreachable', 'The server could not be reached. Is it still running?');
  }
  if (method !== 'GET' && res.status === 401) setSignedIn(false);
  if (method !== 'GET' && res.ok && session.signedIn === false) setSignedIn(true);
  const answer = await readAnswer(res);
  if (method !== 'GET') afterChange(path);
  return answer;
}

/**
 * After a change this page made, everything it may have touched is fetched again, whether
 * or not the server posts an event for it: a task's list, runs and the task itself, the
 * catalog, the sessions.
 */
function afterChange(path) {
  const heartbeat = path.indexOf('/heartbeat/');
  const scope = heartbeat >= 0 ? path.slice(0, heartbeat + '/heartbeat/'.length)
    : path.split('/').slice(0, 3).join('/');
  refreshWhere((url) => url.startsWith(scope));
}

export async function readAnswer(res) {
  if (res.status === 204) return null;
  const text = await res.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!res.ok) {
    const err = parsed && parsed.error ? parsed.error : null;
    throw new ApiError(res.status, err ? err.code : `http_${res.status}`,
      err && err.message ? err.message : `The server answered ${res.status} ${res.statusText}.`,
      err ? err.field : null);
  }
  return parsed;
}

export const get = (path) => api('GET', path);

// ---- the event stream ----------------------------------------------------------------------
//
// Read with fetch rather than EventSource: EventSource delivers named events only to
// listeners registered for that exact name, and this UI wants every event (the Events page,
// and change events of kinds it does not know yet). Reconnection follows the SSE rules:
// the server's retry delay, and Last-Event-ID so that missed events are replayed.

export const stream = {
  state: 'connecting', // connecting | open | reconnecting
  lastEventId: null,
  since: null,
  attempts: 0,
};
const eventListeners = new Set();
const stateListeners = new Set();

export function onEvent(fn) {
  eventListeners.add(fn);
  return () => eventListeners.delete(fn);
}

export function onStreamState(fn) {
  stateListeners.add(fn);
  return () => stateListeners.delete(fn);
}

function setState(state) {
  stream.state = state;
  if (state === 'open') stream.since = Date.now();
  for (const fn of stateListeners) fn(state);
}

let retryMs = 2000;
let controller = null;
let watchdog = null;
let stopped = false;
const SILENCE_MS = 15000; // the server comments every 2 s; this long without a byte means the link is dead

export function startEvents() {
  connect();
  // A page put in the back/forward cache must not keep its stream (and a connection) open.
  window.addEventListener('pagehide', () => {
    stopped = true;
    if (controller) controller.abort();
  });
  window.addEventListener('pageshow', (e) => {
    if (e.persisted && stopped) {
      stopped = false;
      connect();
    }
  });
  window.addEventListener('online', () => {
    if (stream.state !== 'open') reconnectNow();
  });
}

function reconnectNow() {
  if (controller) controller.abort();
}

function armWatchdog() {
  clearTimeout(watchdog);
  watchdog = setTimeout(() => controller && controller.abort(), SILENCE_MS);
}

async function connect() {
  controller = new AbortController();
  const headers = {Accept: 'text/event-stream'};
  if (stream.lastEventId) headers['Last-Event-ID'] = stream.lastEventId;
  let wasOpen = false;
  try {
    armWatchdog();
    const res = await fetch('/api/events', {headers, credentials: 'same-origin', signal: controller.signal, cache: 'no-store'});
    if (!res.ok || !res.body) throw new Error(`status ${res.status}`);
    const reconnected = stream.attempts > 0;
    stream.attempts = 0;
    setState('open');
    wasOpen = true;
    if (reconnected) dispatch({name: 'stream.resync', data: {}});
    await readStream(res.body.getReader());
  } catch {
    // fall through to reconnect
  }
  clearTimeout(watchdog);
  if (stopped) return;
  stream.attempts += 1;
  setState('reconnecting');
  const delay = wasOpen ? retryMs : Math.min(retryMs * Math.pow(1.5, stream.attempts - 1), 15000);
  setTimeout(connect, delay);
}

async function readStream(reader) {
  const decoder = new TextDecoder();
  let buffer = '';
  let name = '';
  let data = [];
  let id = null;
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    armWatchdog();
    buffer += decoder.decode(value, {stream: true});
    let nl;
    while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer[nl] === '\r' && buffer[nl + 1] === '\n' ? 2 : 1));
      if (line === '') {
        if (data.length) {
          if (id !== null) stream.lastEventId = id;
          let parsed = null;
          try {
            parsed = JSON.parse(data.join('\n'));
          } catch {
            parsed = {raw: data.join('\n')};
          }
          dispatch({name: name || 'message', id, data: parsed, receivedAt: Date.now()});
        }
        name = '';
        data = [];
        id = null;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let val = colon < 0 ? '' : line.slice(colon + 1);
      if (val.startsWith(' ')) val = val.slice(1);
      if (field === 'event') name = val;
      else if (field === 'data') data.push(val);
      else if (field === 'id') id = val;
      else if (field === 'retry' && /^\d+$/.test(val)) retryMs = Number(val);
    }
  }
}

function dispatch(event) {
  for (const fn of eventListeners) {
    try {
      fn(event);
    } catch (e) {
      console.error(e);
    }
  }
}

// ---- live resources ------------------------------------------------------------------------
//
// A resource is one GET URL and its latest answer. Pages subscribe to the resources they
// show; an event that concerns a resource marks it stale and it is fetched again (a burst of
// events costs one fetch). There is no polling.

const resources = new Map();

export function resource(url) {
  let r = resources.get(url);
  if (!r) {
    r = {url, data: undefined, raw: null, error: null, loading: false, dirty: false, subs: new Set(), timer: null};
    resources.set(url, r);
  }
  return r;
}

/** Calls fn(resource) now (if loaded) and after every change; answers the unsubscribe. */
export function watch(url, fn) {
  const r = resource(url);
  r.subs.add(fn);
  if (r.data !== undefined || r.error) fn(r);
  if (r.data === undefined && !r.loading) load(r);
  else if (r.data !== undefined) refresh(url); // revalidate what was cached
  return () => r.subs.delete(fn);
}

async function load(r) {
  if (r.loading) {
    r.dirty = true;
    return;
  }
  r.loading = true;
  r.dirty = false;
  const before = r.error ? null : r.raw;
  try {
    const data = await get(r.url);
    r.raw = JSON.stringify(data);
    r.data = data;
    r.error = null;
  } catch (e) {
    r.error = e;
    r.raw = null;
    if (e.status === 404) r.data = undefined;
  } finally {
    r.loading = false;
  }
  // an answer equal to the last one changes nothing on the page: no re-render
  if (r.error || r.raw !== before) for (const fn of r.subs) fn(r);
  if (r.dirty) load(r);
}

/** Fetch again soon (bursts of events coalesce into one request). */
export function refresh(url) {
  const r = resources.get(url);
  if (!r) return;
  if (!r.subs.size) {
    r.data = undefined; // nobody looks: drop it, the next watcher loads it fresh
    return;
  }
  clearTimeout(r.timer);
  r.timer = setTimeout(() => load(r), 60);
}

/** Refresh every known resource whose URL passes the test. */
export function refreshWhere(test) {
  for (const url of resources.keys()) {
    if (test(url)) refresh(url);
  }
}

/** Set a resource's data at once (after a mutation answered with the new state). */
export function put(url, data) {
  const r = resource(url);
  r.data = data;
  r.raw = JSON.stringify(data);
  r.error = null;
  for (const fn of r.subs) fn(r);
}

export function peek(url) {
  const r = resources.get(url);
  return r ? r.data : undefined;
}
