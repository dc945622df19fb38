// Shared pieces of every page: headers, empty states, errors in words, actions that explain
// how to sign in, and a confirmation dialog.

import {h, icon} from './dom.js';
import {session, watch, onEvent} from './api.js';

export function pageHead(title, subtitle, ...actions) {
  return h('div', {class: 'page-head'},
    h('div', {class: 'page-title'}, h('h1', {tabindex: '-1'}, title), subtitle ? h('p', {class: 'muted'}, subtitle) : null),
    actions.length ? h('div', {class: 'page-actions'}, actions) : null);
}

export function empty(title, text, ...extra) {
  return h('div', {class: 'empty'}, h('strong', null, title), text ? h('p', null, text) : null, extra);
}

export function loading(what) {
  return h('p', {class: 'muted loading', role: 'status'}, `Loading ${what}…`);
}

/** How to sign in, as words and a command to copy. */
export function signInHint() {
  return h('div', {class: 'signin-hint', role: 'note'},
    icon('lock'),
    h('div', null,
      h('strong', null, 'Sign in to make changes. '),
      'Run ', h('code', null, 'heddle open'), ' in a terminal on this machine: it opens this page signed in. ',
      h('span', {class: 'muted'}, 'Reading needs no sign-in.')));
}

/** An API error in words; a 401 becomes the sign-in explanation. */
export function errorBox(error, title) {
  if (!error) return null;
  if (error.status === 401) return signInHint();
  return h('div', {class: 'error', role: 'alert'},
    h('strong', null, title || errorTitle(error)), ' ', error.message,
    error.code && error.status ? h('span', {class: 'code-tag'}, `${error.status} ${error.code}`) : null);
}

export function errorTitle(error) {
  switch (error.code) {
    case 'session_leased': return 'Another writer holds this session.';
    case 'reply_in_progress': return 'A reply is still being written.';
    case 'not_found': return 'Not found.';
    case 'conflict': return 'Not possible now.';
    case 'forbidden_origin': return 'Refused.';
    case 'unreachable': return 'No connection.';
    case 'storage_unavailable': return 'Storage unavailable.';
    case 'not_ready': return 'Not ready.';
    default: return error.status >= 500 ? 'Server error.' : 'Refused.';
  }
}

/**
 * Runs an action from a control and reports its failure in the status element next to it.
 * While it runs, the control is busy (disabled, aria-busy).
 */
export async function runAction(control, status, fn) {
  if (status) status.replaceChildren();
  if (control) {
    control.disabled = true;
    control.setAttribute('aria-busy', 'true');
  }
  try {
    return await fn();
  } catch (e) {
    if (status) status.replaceChildren(errorBox(e));
    else console.error(e);
    return undefined;
  } finally {
    if (control) {
      control.disabled = false;
      control.removeAttribute('aria-busy');
    }
  }
}

/** A status line for an action's outcome. */
export function statusLine() {
  return h('div', {class: 'status-line', 'aria-live': 'polite'});
}

/** A note shown above forms when this browser is known not to be signed in. */
export function signedOutNote() {
  return session.signedIn === false ? signInHint() : null;
}

export function button(label, props = {}, iconName) {
  return h('button', {type: 'button', ...props}, iconName ? icon(iconName) : null, h('span', null, label));
}

/** A modal dialog; resolves with the value passed to close(), or null when dismissed. */
export function openDialog(build, {label, className} = {}) {
  return new Promise((resolve) => {
    const dialog = h('dialog', {class: ['dialog', className], 'aria-label': label});
    let value = null;
    const close = (v) => {
      value = v === undefined ? null : v;
      dialog.close();
    };
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(value);
    });
    dialog.addEventListener('click', (e) => {
      if (e.target === dialog) close(null); // a click on the backdrop
    });
    dialog.append(build(close));
    document.body.append(dialog);
    dialog.showModal();
    const first = dialog.querySelector('[autofocus]') || dialog.querySelector('input, textarea, select, button');
    if (first) first.focus();
  });
}

export function confirmDialog(title, text, confirmLabel) {
  return openDialog((close) => h('form', {class: 'dialog-body', method: 'dialog', onsubmit: (e) => {
    e.preventDefault();
    close(true);
  }},
  h('h2', null, title),
  h('p', null, text),
  h('div', {class: 'form-actions'},
    h('button', {type: 'button', autofocus: true, onclick: () => close(false)}, 'Cancel'),
    h('button', {type: 'submit', class: 'danger'}, confirmLabel))), {label: title});
}

/** A definition list of facts: [[term, value], ...]; null values are skipped. */
export function facts(pairs, className) {
  const dl = h('dl', {class: ['facts', className]});
  for (const [term, value] of pairs) {
    if (value === null || value === undefined) continue;
    dl.append(h('div', null, h('dt', null, term), h('dd', null, value)));
  }
  return dl;
}

export function code(text) {
  return h('code', {class: 'path'}, text);
}

/** The subscriptions of one page, ended together when the page goes. */
export function scope() {
  const offs = [];
  return {
    watch: (url, fn) => {
      const off = watch(url, fn);
      offs.push(off);
      return off;
    },
    onEvent: (fn) => offs.push(onEvent(fn)),
    add: (off) => offs.push(off),
    destroy: () => offs.splice(0).forEach((off) => off()),
  };
}
