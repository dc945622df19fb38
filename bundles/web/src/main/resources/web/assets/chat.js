// Chat: the sessions of the server's workspace, and one conversation whose replies stream in.

import {h, swap, timeEl, icon, uid, parseTime} from './dom.js';
import {api, put, peek, refresh, readAnswer, ApiError, checkSession} from './api.js';
import {pageHead, scope, loading, errorBox, empty, runAction, statusLine, confirmDialog, button, signedOutNote} from './ui.js';
import {renderMarkdown} from './markdown.js';
import {navigate} from './nav.js';

const LIST = '/api/chat/sessions';
const ENGINES = '/api/chat/engines';

export function chatPage(wsId, sessionId) {
  const s = scope();
  const listPane = h('div', {class: 'list-pane'}, loading('sessions'));
  const convPane = h('div', {class: 'detail-pane conversation-pane'});
  const notice = h('div');
  const newStatus = statusLine();
  const newBtn = button('New chat', {class: 'primary', id: 'new-chat', onclick: () => runAction(newBtn, newStatus, async () => {
    const created = await api('POST', LIST, {});
    refresh(LIST);
    navigate(`/w/${wsId}/chat/${created.id}`);
  })}, 'plus');
  const el = h('section', {class: ['page', 'chat-page', sessionId ? 'has-detail' : 'no-detail']},
    pageHead('Chat', 'Conversations kept in the server\'s workspace.', newBtn),
    newStatus, notice,
    h('div', {class: 'split'}, listPane, convPane));

  // Chat sessions belong to the workspace of the server that answers.
  const checkWorkspace = () => {
    const host = peek('/api/runtime-host');
    const cat = peek('/api/workspaces');
    if (!host || !cat) return;
    const own = (cat.workspaces || []).find((w) => w.workspaceRoot === host.workspaceRoot);
    swap(notice, own && own.id !== wsId
      ? h('div', {class: 'notice'}, 'Chat sessions live in the workspace of this server, ',
        h('a', {href: `/w/${own.id}/chat`}, own.name || own.id), '. Those are the sessions shown here.')
      : null);
  };
  s.watch('/api/runtime-host', checkWorkspace);
  s.watch('/api/workspaces', checkWorkspace);

  s.watch(LIST, (r) => {
    if (r.error) {
      swap(listPane, errorBox(r.error));
      return;
    }
    const sessions = r.data.sessions || [];
    const setAside = r.data.setAside || [];
    swap(listPane,
      sessions.length ? h('ul', {class: 'task-list session-list'}, sessions.map((x) => h('li', null,
        h('a', {href: `/w/${wsId}/chat/${x.id}`, class: 'task-item', 'data-key': `s-${x.id}`, 'aria-current': x.id === sessionId ? 'page' : null},
          h('div', {class: 'task-item-head'}, h('span', {class: 'task-name'}, x.name || x.id)),
          h('div', {class: 'muted small'}, timeEl(x.updatedAt), ` · ${x.messageCount || 0} message${x.messageCount === 1 ? '' : 's'}`)))))
        : empty('No conversations yet', 'Start one with “New chat”.'),
      setAside.length ? h('div', {class: 'notice small'}, h('strong', null, `${setAside.length} unreadable session file${setAside.length > 1 ? 's' : ''} set aside: `),
        setAside.map((x) => h('div', {class: 'path'}, x.movedTo || x.file, ' — ', x.problem))) : null);
  });

  if (sessionId) conversation(s, wsId, sessionId, convPane);
  else swap(convPane, h('div', {class: 'placeholder muted'}, 'Select a conversation, or start a new one.'));

  return {title: 'Chat', el, destroy: s.destroy};
}

function conversation(s, wsId, sessionId, pane) {
  const url = `${LIST}/${encodeURIComponent(sessionId)}`;
  const head = h('div', {class: 'conv-head'});
  const log = h('div', {class: 'messages', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation'});
  const history = h('div');
  const pendingUser = h('div');
  const streaming = h('div');
  log.append(history, pendingUser, streaming);
  const composerStatus = h('div', {class: 'composer-status', 'aria-live': 'polite'});
  const leaseNote = h('div');
  const inputId = uid('composer');
  const input = h('textarea', {id: inputId, rows: '2', placeholder: 'Write a message. Enter sends, Shift+Enter starts a new line.',
    onkeydown: (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        send();
      }
    }});
  const sendBtn = h('button', {type: 'submit', class: 'primary send', 'aria-label': 'Send'}, icon('send'), h('span', null, 'Send'));
  const stopBtn = h('button', {type: 'button', class: 'danger stop', 'aria-label': 'Stop the reply', hidden: true,
    onclick: () => stop()}, icon('stop'), h('span', null, 'Stop'));
  const engineId = uid('engine');
  const engineSelect = h('select', {id: engineId, class: 'engine-select', 'data-key': 'engine',
    onchange: () => chooseEngine()});
  const engineProblem = h('div', {class: 'engine-problem'});
  const engineStatus = statusLine();
  const engineRow = h('div', {class: 'engine-row'},
    h('label', {for: engineId}, 'Engine'), engineSelect, engineStatus, engineProblem);
  const composer = h('form', {class: 'composer', onsubmit: (e) => {
    e.preventDefault();
    send();
  }}, h('label', {for: inputId, class: 'sr'}, 'Message'), input, sendBtn, stopBtn);

  swap(pane,
    h('a', {href: `/w/${wsId}/chat`, class: 'back-link'}, icon('back'), 'All conversations'),
    head, log, leaseNote, composerStatus, signedOutNote(), engineRow, composer);

  let session = null;
  let serverId = null;
  const pending = new Map(); // replyId -> {seqs:Set, text}
  let sending = false;
  let stopping = false;
  let engines = null; // the answer of GET /api/chat/engines

  s.watch(ENGINES, (r) => {
    engines = r.error ? {error: r.error} : r.data;
    renderEngines();
  });

  s.watch('/api/runtime-host', (r) => {
    serverId = r.data ? r.data.serverId : null;
    renderLease();
  });

  s.watch(url, (r) => {
    if (r.error) {
      swap(head, errorBox(r.error, r.error.status === 404 ? `Conversation ${sessionId} not found.` : 'The conversation could not be read.'));
      swap(history);
      composer.hidden = r.error.status === 404;
      return;
    }
    composer.hidden = false;
    const first = !session;
    session = r.data;
    renderEngines();
    renderHead();
    renderHistory();
    renderLease();
    if (first) {
      scrollDown(true);
      input.focus({preventScroll: true});
    }
  });

  s.onEvent((ev) => {
    const d = ev.data || {};
    if (d.sessionId !== sessionId) return;
    if (ev.name === 'chat.reply_chunk') {
      addChunk(d.replyId, d.seq, d.text);
    } else if (ev.name === 'chat.message_added' && d.role === 'assistant') {
      pending.clear();
      renderStreaming();
    } else if (ev.name === 'chat.reply_done') {
      pending.delete(d.replyId);
      renderStreaming();
    } else if (ev.name === 'chat.session_deleted') {
      swap(head, h('div', {class: 'notice'}, 'This conversation was deleted.'));
      composer.hidden = true;
    }
  });

  function renderHead() {
    const status = statusLine();
    const renameId = uid('rename');
    const renameInput = h('input', {id: renameId, value: session.name || '', maxlength: '200', required: true});
    const saveBtn = h('button', {type: 'submit', class: 'primary'}, 'Save');
    const form = h('form', {class: 'rename', hidden: true, onsubmit: (e) => {
      e.preventDefault();
      runAction(saveBtn, status, async () => {
        put(url, await api('PATCH', url, {name: renameInput.value.trim()}));
        refresh(LIST);
      });
    }}, h('label', {for: renameId}, 'New name'), h('div', {class: 'row'}, renameInput, saveBtn,
      h('button', {type: 'button', onclick: () => {
        form.hidden = true;
      }}, 'Cancel')));
    const renameBtn = button('Rename', {'data-key': 'rename', onclick: () => {
      form.hidden = false;
      renameInput.focus();
      renameInput.select();
    }}, 'edit');
    const deleteBtn = button('Delete', {class: 'danger-text', 'data-key': 'delete', onclick: async () => {
      if (!(await confirmDialog(`Delete “${session.name || session.id}”?`, 'The conversation and all its messages are deleted.', 'Delete conversation'))) return;
      await runAction(deleteBtn, status, async () => {
        await api('DELETE', url);
        refresh(LIST);
        navigate(`/w/${wsId}/chat`);
      });
    }}, 'trash');
    swap(head, h('div', {class: 'task-title'}, h('h2', null, session.name || session.id),
      h('div', {class: 'actions'}, renameBtn, deleteBtn)),
    h('div', {class: 'muted small'}, `${session.messageCount || 0} messages · started `, timeEl(session.createdAt)),
    form, status);
  }

  /**
   * The engine picker: "Default" (the session names no engine: the highest-ranked answers)
   * and every engine configured now; an engine that cannot answer says why.
   */
  function renderEngines() {
    engineRow.hidden = !session || composer.hidden;
    if (!session) return;
    if (!engines) {
      swap(engineSelect, h('option', {value: session.engine || ''}, session.engine || 'Default'));
      return;
    }
    if (engines.error) {
      swap(engineSelect, h('option', {value: session.engine || ''}, session.engine || 'Default'));
      swap(engineProblem, h('div', {class: 'muted small'}, 'The engines could not be listed: ', engines.error.message));
      return;
    }
    const list = engines.engines || [];
    const byName = new Map(list.map((e) => [e.name, e]));
    const chosen = session.engine || '';
    const label = (e) => `${e.name} — ${e.protocol}${e.model ? ` · ${e.model}` : ''}${e.usable === false ? ' (not usable)' : ''}`;
    const options = [h('option', {value: '', selected: chosen === ''},
      engines.default ? `Default (${engines.default})` : list.length ? 'Default' : 'Default (no engine configured)')];
    for (const e of list) options.push(h('option', {value: e.name, selected: chosen === e.name}, label(e)));
    if (chosen && !byName.has(chosen)) options.push(h('option', {value: chosen, selected: true}, `${chosen} (not configured now)`));
    swap(engineSelect, options);
    engineSelect.value = chosen;
    const effective = chosen ? byName.get(chosen) : byName.get(engines.default);
    if (chosen && !effective) {
      swap(engineProblem, h('div', {class: 'notice small', role: 'note', 'data-engine': chosen},
        h('strong', null, `Engine “${chosen}” is not configured now. `),
        'Messages here are answered with a notice until it is configured again, or another engine is chosen.'));
    } else if (effective && effective.usable === false) {
      swap(engineProblem, h('div', {class: 'notice small', role: 'note', 'data-engine': effective.name},
        h('strong', null, `Engine “${effective.name}” cannot answer: `), effective.problem || 'it is not usable now.'));
    } else if (!list.length) {
      swap(engineProblem, h('div', {class: 'muted small'}, 'No chat engine is configured; see docs/chat.md for how to configure one in etc/.'));
    } else {
      swap(engineProblem);
    }
  }

  async function chooseEngine() {
    const value = engineSelect.value;
    if ((session && session.engine || '') === value) return;
    await runAction(engineSelect, engineStatus, async () => {
      put(url, await api('PATCH', url, {engine: value || null}));
    });
    renderEngines(); // back to the stored choice when the change was refused
  }

  function renderHistory() {
    const messages = session.messages || [];
    swap(history, messages.length ? messages.map(messageEl)
      : h('div', {class: 'placeholder muted'}, 'No messages yet. Replies come from the chat engine this server has configured.'));
    swap(pendingUser);
    scrollDown(sending);
  }

  function renderLease() {
    const lease = session && session.lease;
    const mine = lease && serverId && lease.holder === `server:${serverId}`;
    const until = lease && parseTime(lease.expiresAt);
    swap(leaseNote, lease && !mine && until && until > Date.now()
      ? h('div', {class: 'notice small'}, h('strong', null, 'In use elsewhere. '), `“${lease.holder}” is writing this conversation; its lease runs until `,
        h('time', {datetime: lease.expiresAt}, new Date(until).toLocaleTimeString()), '. Messages sent before then are refused.')
      : null);
  }

  function addChunk(replyId, seq, text) {
    let p = pending.get(replyId);
    if (!p) {
      p = {seqs: new Set(), parts: []};
      pending.set(replyId, p);
    }
    if (p.seqs.has(seq)) return;
    p.seqs.add(seq);
    p.parts[seq] = text;
    renderStreaming();
  }

  function renderStreaming() {
    const items = [];
    for (const [replyId, p] of pending) {
      const text = p.parts.filter((x) => x !== undefined).join('');
      items.push(h('div', {class: 'msg msg-assistant streaming', 'data-reply': replyId, 'aria-busy': 'true'},
        h('div', {class: 'msg-role'}, 'assistant', h('span', {class: 'typing', 'aria-label': 'writing'})),
        text ? renderMarkdown(text) : h('p', {class: 'muted'}, '…')));
    }
    swap(streaming, items);
    scrollDown(sending);
  }

  function scrollDown(force) {
    const near = log.scrollHeight - log.scrollTop - log.clientHeight < 120;
    if (force || near) log.scrollTop = log.scrollHeight;
  }

  async function send() {
    const text = input.value.trim();
    if (!text || sending) return;
    sending = true;
    stopping = false;
    sendBtn.disabled = true;
    sendBtn.hidden = true;
    stopBtn.hidden = false;
    stopBtn.disabled = false;
    composerStatus.replaceChildren();
    swap(pendingUser, messageEl({role: 'user', text, at: new Date().toISOString(), sending: true}));
    scrollDown(true);
    try {
      const res = await fetch(`${url}/messages`, {method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', Accept: 'application/x-ndjson'}, body: JSON.stringify({text})});
      if (!res.ok) await readAnswer(res); // throws the API's error
      input.value = '';
      await readReply(res);
    } catch (e) {
      swap(pendingUser);
      const err = e instanceof ApiError ? e : new ApiError(0, 'unreachable', 'The reply broke off: the connection to the server was lost.');
      composerStatus.replaceChildren(errorBox(err));
      if (err.status === 401) checkSession();
    } finally {
      sending = false;
      sendBtn.disabled = false;
      sendBtn.hidden = false;
      stopBtn.hidden = true;
      const refocus = document.activeElement === stopBtn || document.activeElement === document.body;
      if (refocus) input.focus({preventScroll: true});
      scrollDown(true);
      refresh(url);
      refresh(LIST);
    }
  }

  /** Stops the reply that streams now; its request then ends with the outcome cancelled. */
  async function stop() {
    if (!sending || stopping) return;
    stopping = true;
    stopBtn.disabled = true;
    try {
      await api('POST', `${url}/cancel`);
    } catch (e) {
      // the reply ended meanwhile: nothing to stop
      if (e.code !== 'no_reply_in_progress') {
        stopping = false;
        stopBtn.disabled = false;
        composerStatus.replaceChildren(errorBox(e));
      }
    }
  }

  async function readReply(res) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, {stream: true});
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        let item;
        try {
          item = JSON.parse(line);
        } catch {
          continue;
        }
        if (item.type === 'chunk') {
          addChunk(item.replyId, item.seq, item.text);
        } else if (item.type === 'message') {
          if (session) {
            const messages = (session.messages || []).slice();
            messages[item.index] = item.message;
            session = {...session, messages};
            if (item.message.role === 'assistant' || item.message.role === 'system') pending.clear();
            renderHistory();
            renderStreaming();
          }
        } else if (item.type === 'done') {
          pending.delete(item.replyId);
          renderStreaming();
          if (item.outcome === 'cancelled') {
            composerStatus.replaceChildren(h('div', {class: 'muted small stopped-note'}, 'Reply stopped. The part that arrived is kept.'));
          }
        }
      }
    }
  }
}

function messageEl(m) {
  if (m.role === 'system') {
    return h('div', {class: 'msg msg-system', role: 'note'},
      h('div', {class: 'msg-role'}, icon('pulse'), 'Heddle notice', m.at ? h('span', {class: 'muted'}, ' · ', timeEl(m.at)) : null),
      h('p', {class: 'plain'}, m.text));
  }
  if (m.role === 'user') {
    return h('div', {class: ['msg', 'msg-user', m.sending ? 'sending' : null]},
      h('div', {class: 'msg-role'}, 'you', m.at && !m.sending ? h('span', {class: 'muted'}, ' · ', timeEl(m.at)) : h('span', {class: 'muted'}, ' · sending…')),
      h('p', {class: 'plain'}, m.text));
  }
  return h('div', {class: 'msg msg-assistant'},
    h('div', {class: 'msg-role'}, m.role || 'assistant', m.at ? h('span', {class: 'muted'}, ' · ', timeEl(m.at)) : null),
    renderMarkdown(m.text));
}
