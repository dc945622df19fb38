// Workspaces: the catalog of this server, add by path, rename, set active.

import {h, swap, chip, timeEl, uid} from './dom.js';
import {api, put} from './api.js';
import {pageHead, scope, loading, errorBox, empty, runAction, statusLine, signedOutNote, code} from './ui.js';

export function workspacesPage() {
  const s = scope();
  const list = h('div', {class: 'ws-list'}, loading('workspaces'));
  const known = h('div');

  const pathInput = h('input', {id: 'ws-path', name: 'workspaceRoot', required: true, autocomplete: 'off',
    placeholder: '/home/me/src/project', spellcheck: 'false'});
  const nameInput = h('input', {id: 'ws-name', name: 'name', autocomplete: 'off', placeholder: 'optional'});
  const addStatus = statusLine();
  const addButton = h('button', {type: 'submit', class: 'primary'}, 'Add workspace');
  const addForm = h('form', {class: 'card add-ws', 'aria-label': 'Add a workspace', onsubmit: (e) => {
    e.preventDefault();
    runAction(addButton, addStatus, async () => {
      const body = {workspaceRoot: pathInput.value.trim()};
      if (nameInput.value.trim()) body.name = nameInput.value.trim();
      const added = await api('POST', '/api/workspaces', body);
      pathInput.value = '';
      nameInput.value = '';
      addStatus.replaceChildren(h('p', {class: 'ok'}, `Added ${added.name || added.id}.`));
      reload();
    });
  }},
  h('h2', null, 'Add a workspace'),
  signedOutNote(),
  h('div', {class: 'row'},
    h('div', {class: 'field grow'}, h('label', {for: 'ws-path'}, 'Folder (absolute path on the server\'s machine)'), pathInput),
    h('div', {class: 'field'}, h('label', {for: 'ws-name'}, 'Name'), nameInput),
    h('div', {class: 'field end'}, addButton)),
  addStatus);

  const el = h('section', {class: 'page'},
    pageHead('Workspaces', 'Folders this server works in. The active one is where new work goes by default.'),
    addForm, list, known);

  let data = null;
  function reload() {
    api('GET', '/api/workspaces').then((d) => put('/api/workspaces', d), () => {});
  }

  s.watch('/api/workspaces', (r) => {
    if (r.error) {
      swap(list, errorBox(r.error));
      return;
    }
    data = r.data;
    const items = data.workspaces || [];
    swap(list, items.length
      ? h('ul', {class: 'cards'}, items.map((w) => workspaceCard(w, w.id === data.activeWorkspaceId)))
      : empty('No workspaces yet', 'Add a folder above.'));
    const others = (data.knownWorkspaces || []).filter((k) => k.workspace && !items.some((w) => w.id === k.workspace.id));
    swap(known, others.length ? h('section', {class: 'known'},
      h('h2', null, 'Known on this machine'),
      h('p', {class: 'muted'}, 'Workspaces the registry remembers from other servers. Add one by its folder to use it here.'),
      h('ul', {class: 'plain-list'}, others.map((k) => h('li', null, h('strong', null, k.workspace.name || k.workspace.id), ' ',
        code(k.workspace.workspaceRoot), ' ', h('span', {class: 'muted small'}, 'seen ', timeEl(k.updatedAt)))))) : null);
  });

  function workspaceCard(w, active) {
    const status = statusLine();
    const renameId = uid('rename');
    const nameEl = h('h3', null, w.name || w.id);
    const renameInput = h('input', {id: renameId, value: w.name || '', maxlength: '200', required: true});
    const saveBtn = h('button', {type: 'submit', class: 'primary'}, 'Save');
    const renameForm = h('form', {class: 'rename', hidden: true, onsubmit: (e) => {
      e.preventDefault();
      runAction(saveBtn, status, async () => {
        await api('PATCH', `/api/workspaces/${w.id}`, {name: renameInput.value.trim()});
        renameForm.hidden = true;
        reload();
      });
    }},
    h('label', {for: renameId}, `New name for ${w.name || w.id}`),
    h('div', {class: 'row'}, renameInput, saveBtn,
      h('button', {type: 'button', onclick: () => {
        renameForm.hidden = true;
        renameBtn.focus();
      }}, 'Cancel')));
    const renameBtn = h('button', {type: 'button', 'data-key': `rename-${w.id}`, 'aria-label': `Rename ${w.name || w.id}`,
      onclick: () => {
        renameForm.hidden = false;
        renameInput.focus();
        renameInput.select();
      }}, 'Rename');
    const activeBtn = active ? null : h('button', {type: 'button', 'data-key': `active-${w.id}`,
      'aria-label': `Set ${w.name || w.id} active`, onclick: () => runAction(activeBtn, status, async () => {
        const catalog = await api('PUT', '/api/workspaces/active', {workspaceId: w.id});
        put('/api/workspaces', catalog);
      })}, 'Set active');
    return h('li', {class: 'card ws-card'},
      h('div', {class: 'ws-card-head'}, nameEl, active ? chip('active', 'active') : null,
        h('div', {class: 'actions'}, activeBtn, renameBtn)),
      h('div', {class: 'small'}, code(w.workspaceRoot)),
      h('div', {class: 'muted small'}, w.id, ' · state in ', code(w.stateRoot), ' · updated ', timeEl(w.updatedAt)),
      h('div', {class: 'links small'}, h('a', {href: `/w/${w.id}/tasks`}, 'Tasks'), ' · ', h('a', {href: `/w/${w.id}/chat`}, 'Chat')),
      renameForm, status);
  }

  return {title: 'Workspaces', el, destroy: s.destroy};
}
