// Extensions: every jar of the watched folder, its bundle's state and what it contributes.

import {h, swap, chip} from './dom.js';
import {pageHead, scope, loading, errorBox, empty, code} from './ui.js';

export function extensionsPage() {
  const s = scope();
  const folder = h('p', {class: 'muted'});
  const list = h('div', null, loading('extensions'));
  const el = h('section', {class: 'page'},
    pageHead('Extensions', 'Bundles dropped into the extensions folder. Copy a jar in to install it, delete it to remove it.'),
    folder, list);

  s.watch('/api/extensions', (r) => {
    if (r.error) {
      swap(list, errorBox(r.error));
      return;
    }
    swap(folder, 'Folder: ', code(r.data.folder || '—'));
    const items = r.data.extensions || [];
    swap(list, items.length
      ? h('ul', {class: 'cards ext-list'}, items.map(extensionCard))
      : empty('No extensions', 'Copy an extension jar into the folder above; it shows up here within a second.'));
  });

  return {title: 'Extensions', el, destroy: s.destroy};
}

function extensionCard(x) {
  const c = x.contributes || {};
  const servlets = c.servlets || [];
  const runners = c.runners || [];
  return h('li', {class: 'card ext-card', 'data-file': x.file},
    h('div', {class: 'ws-card-head'}, h('h3', null, x.file), chip(x.error ? 'failed' : x.state === 'ACTIVE' ? 'active' : 'idle', x.state.toLowerCase().replace('_', ' '))),
    h('div', {class: 'small'}, x.symbolicName ? code(x.symbolicName) : h('span', {class: 'muted'}, 'not a bundle (yet)'),
      x.version ? h('span', {class: 'muted'}, ` · version ${x.version}`) : null,
      x.bundleId !== null && x.bundleId !== undefined ? h('span', {class: 'muted'}, ` · bundle ${x.bundleId}`) : null),
    h('div', {class: 'contrib small'},
      h('span', {class: 'muted'}, 'Contributes: '),
      servlets.length || runners.length ? [
        servlets.map((p) => h('span', {class: 'tag'}, 'endpoint ', code(p))),
        runners.map((k) => h('span', {class: 'tag'}, 'runner ', code(k)))] : h('span', {class: 'muted'}, 'nothing')),
    x.error ? h('div', {class: 'error'}, h('strong', null, `${x.error.code}: `), x.error.message) : null);
}
