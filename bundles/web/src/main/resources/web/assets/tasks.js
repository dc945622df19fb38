// Tasks of one workspace: the list, one task with its runs, one run's output, and the form.

import {h, swap, chip, timeEl, duration, interval, icon, uid, parseTime} from './dom.js';
import {api, put, peek, refreshWhere} from './api.js';
import {pageHead, scope, loading, errorBox, empty, runAction, statusLine, signedOutNote, confirmDialog,
  openDialog, facts, code, button} from './ui.js';
import {navigate} from './nav.js';

const PRESETS = [
  [60000, 'Every minute'], [300000, 'Every 5 minutes'], [900000, 'Every 15 minutes'], [1800000, 'Every 30 minutes'],
  [3600000, 'Every hour'], [21600000, 'Every 6 hours'], [43200000, 'Every 12 hours'], [86400000, 'Every day'],
];
const UNITS = [[1000, 'seconds'], [60000, 'minutes'], [3600000, 'hours'], [86400000, 'days']];
const RESUMABLE = new Set(['blocked', 'complete', 'failed']);

export function tasksPage(wsId, taskId, runId) {
  const s = scope();
  const base = `/api/workspaces/${encodeURIComponent(wsId)}/heartbeat/tasks`;
  const listPane = h('div', {class: 'list-pane', 'aria-label': 'Tasks'}, loading('tasks'));
  const detailPane = h('div', {class: 'detail-pane'});
  const newButton = button('New task', {class: 'primary', id: 'new-task', onclick: () => openTaskForm(wsId, null)}, 'plus');
  const wsTitle = h('span');
  const el = h('section', {class: ['page', 'tasks-page', taskId ? 'has-detail' : 'no-detail']},
    pageHead(h('span', null, 'Tasks ', wsTitle), 'Scheduled work of this workspace, and what each run did.', newButton),
    h('div', {class: 'split'}, listPane, detailPane));

  s.watch('/api/workspaces', (r) => {
    const w = r.data && (r.data.workspaces || []).find((x) => x.id === wsId);
    swap(wsTitle, w ? h('span', {class: 'muted'}, `· ${w.name || w.id}`) : null);
  });

  let tasks = null;
  s.watch(base, (r) => {
    if (r.error) {
      swap(listPane, errorBox(r.error, r.error.status === 404 ? `No workspace ${wsId} on this server.` : 'The tasks could not be read.'));
      return;
    }
    tasks = r.data.tasks || [];
    swap(listPane, tasks.length
      ? h('ul', {class: 'task-list'}, tasks.map((t) => taskItem(t)))
      : empty('No tasks yet', 'A task runs a program (or another runner\'s work) on an interval and keeps every run\'s outcome.',
        button('Create the first task', {class: 'primary', onclick: () => openTaskForm(wsId, null)}, 'plus')));
  });

  function taskItem(t) {
    const status = statusOf(t);
    const href = `/w/${wsId}/tasks/${t.id}`;
    return h('li', null, h('a', {href, class: 'task-item', 'data-key': `task-${t.id}`, 'aria-current': t.id === taskId ? 'page' : null},
      h('div', {class: 'task-item-head'}, h('span', {class: 'task-name'}, t.name || t.task || t.id), chip(status)),
      h('div', {class: 'muted small'}, interval(t.schedule && t.schedule.intervalMs), ' · ', t.runner, ' · ', nextRun(t)),
      lastOutcome(t) ? h('div', {class: 'small clip outcome'}, lastOutcome(t)) : null));
  }

  if (taskId) detail(s, wsId, base, taskId, runId, detailPane);
  else swap(detailPane, h('div', {class: 'placeholder muted'}, 'Select a task to see its runs.'));

  return {title: 'Tasks', el, destroy: s.destroy};
}

function statusOf(t) {
  if (t.enabled === false) return 'disabled';
  return (t.state && t.state.status) || 'idle';
}

/** When the task runs next, in words that match its state. */
function nextRun(t) {
  const st = t.state || {};
  const next = t.schedule && t.schedule.nextRunAt;
  if (t.enabled === false) return 'not while disabled';
  if (st.status === 'running') return 'running now';
  if (st.needs === 'resume' || st.status === 'blocked') return 'after a resume';
  if (st.status === 'complete') return 'never (complete)';
  if (st.needs === 'runner') return 'when its runner is installed';
  if (st.runRequestedAt) return 'as soon as a slot is free';
  if (!next) return 'not scheduled';
  const at = parseTime(next);
  if (at !== null && at <= Date.now()) return 'due now';
  return h('span', null, 'next ', timeEl(next));
}

function lastOutcome(t) {
  const st = t.state || {};
  if (st.status === 'running' && st.progress) return st.progress;
  if (st.message) return st.message;
  return st.error || st.result || '';
}

// ---- one task ------------------------------------------------------------------------------

function detail(s, wsId, base, taskId, runId, pane) {
  const taskUrl = `${base}/${encodeURIComponent(taskId)}`;
  const head = h('div', {class: 'task-head'}, loading('the task'));
  const runsBox = h('div', {class: 'runs'});
  const inspector = h('aside', {class: 'inspector', 'aria-label': 'Run details'});
  swap(pane,
    h('a', {href: `/w/${wsId}/tasks`, class: 'back-link'}, icon('back'), 'All tasks'),
    h('div', {class: ['detail-grid', runId ? 'with-inspector' : null]},
      h('div', {class: 'detail-main'}, head, h('h3', {class: 'section-title'}, 'Runs'), runsBox),
      runId ? inspector : null));

  let task = null;
  const actionStatus = statusLine();
  s.watch(taskUrl, (r) => {
    if (r.error) {
      swap(head, errorBox(r.error, r.error.status === 404 ? `Task ${taskId} not found.` : 'The task could not be read.'));
      return;
    }
    task = r.data;
    renderHead();
  });

  function renderHead() {
    const t = task;
    const st = t.state || {};
    const status = statusOf(t);
    const enabledId = uid('enabled');
    const toggle = h('input', {type: 'checkbox', role: 'switch', id: enabledId, checked: t.enabled !== false,
      onchange: () => runAction(toggle, actionStatus, async () => {
        try {
          put(taskUrl, await api('PATCH', taskUrl, {enabled: toggle.checked}));
        } catch (e) {
          toggle.checked = !toggle.checked;
          throw e;
        }
      })});
    const resumable = RESUMABLE.has(st.status) || (st.status === 'waiting' && st.needs === 'resume');
    const holds = st.status === 'blocked' || st.status === 'complete' || st.needs === 'resume';
    const runBtn = button('Run now', {class: 'primary', 'data-key': 'run-now', disabled: t.enabled === false || status === 'running' || holds,
      title: t.enabled === false ? 'Enable the task to run it.' : holds ? 'It waits for a resume: use Resume.' : null,
      onclick: () => runAction(runBtn, actionStatus, async () => {
        put(taskUrl, await api('POST', `${taskUrl}/run`));
      })}, 'play');
    const resumeBtn = resumable ? button('Resume', {'data-key': 'resume', class: holds ? 'primary' : null, onclick: () => runAction(resumeBtn, actionStatus, async () => {
      put(taskUrl, await api('POST', `${taskUrl}/resume`));
    })}) : null;
    const editBtn = button('Edit', {'data-key': 'edit', onclick: () => openTaskForm(wsId, t)}, 'edit');
    const deleteBtn = button('Delete', {class: 'danger-text', 'data-key': 'delete', onclick: async () => {
      const ok = await confirmDialog(`Delete “${t.name || t.id}”?`, 'The task and its whole run history are deleted. This cannot be undone.', 'Delete task');
      if (!ok) return;
      await runAction(deleteBtn, actionStatus, async () => {
        await api('DELETE', taskUrl);
        refreshWhere((u) => u === base);
        navigate(`/w/${wsId}/tasks`);
      });
    }}, 'trash');

    const config = t.runner === 'command' && t.runnerConfig && Array.isArray(t.runnerConfig.argv)
      ? code(t.runnerConfig.argv.map(quoteArg).join(' '))
      : t.runnerConfig && Object.keys(t.runnerConfig).length ? code(JSON.stringify(t.runnerConfig)) : null;
    swap(head,
      h('div', {class: 'task-title'}, h('h2', null, t.name || t.id), chip(status)),
      h('div', {class: 'task-controls'},
        h('label', {class: 'switch', for: enabledId}, toggle, h('span', null, t.enabled === false ? 'disabled' : 'enabled')),
        h('div', {class: 'actions'}, runBtn, resumeBtn, editBtn, deleteBtn)),
      actionStatus,
      stateNotice(t),
      t.task ? h('p', {class: 'instruction'}, t.task) : null,
      facts([
        ['Schedule', interval(t.schedule && t.schedule.intervalMs)],
        ['Next run', nextRun(t)],
        ['Last run', st.runAt ? timeEl(st.runAt) : 'never'],
        ['Runner', t.runner],
        [t.runner === 'command' ? 'Command' : 'Configuration', config],
        ['Continuation', t.continuationMode === 'agent' ? 'agent' : 'operator'],
        ['Failures in a row', st.failures ? String(st.failures) : null],
        ['Run requested', st.runRequestedAt ? timeEl(st.runRequestedAt) : null],
      ], 'task-facts'));
  }

  // Runs
  s.watch(`${taskUrl}/runs`, (r) => {
    if (r.error) {
      swap(runsBox, r.error.status === 404 ? null : errorBox(r.error));
      return;
    }
    const runs = r.data.runs || [];
    swap(runsBox, runs.length
      ? h('div', {class: 'table-wrap'}, h('table', {class: 'table runs-table'},
        h('caption', {class: 'sr'}, 'Runs, newest first'),
        h('thead', null, h('tr', null, h('th', null, 'Run'), h('th', null, 'Status'), h('th', null, 'Started'),
          h('th', null, 'Duration'), h('th', {class: 'hide-narrow'}, 'Outcome'))),
        h('tbody', null, runs.map((run) => h('tr', {class: run.id === runId ? 'selected' : null},
          h('td', null, h('a', {href: `/w/${wsId}/tasks/${taskId}/runs/${run.id}`, 'data-key': `run-${run.id}`,
            'aria-current': run.id === runId ? 'true' : null}, run.trigger === 'request' ? 'on request' : 'scheduled')),
          h('td', null, chip(run.status === 'finished' && run.decision ? decisionStatus(run.decision) : run.status,
            run.status === 'finished' && run.decision ? run.decision : run.status)),
          h('td', null, timeEl(run.startedAt)),
          h('td', null, runDuration(run)),
          h('td', {class: 'hide-narrow clip'}, run.error || run.summary || ''))))))
      : empty('No runs yet', 'Runs appear here as they start, and update when they finish. Use “Run now” to try it.'));
  });

  if (runId) {
    const runUrl = `${taskUrl}/runs/${encodeURIComponent(runId)}`;
    s.watch(runUrl, (r) => {
      const close = h('a', {href: `/w/${wsId}/tasks/${taskId}`, class: 'icon-btn inspector-close', 'aria-label': 'Close run details'}, icon('close'));
      if (r.error) {
        swap(inspector, h('div', {class: 'inspector-head'}, h('h3', null, 'Run'), close),
          errorBox(r.error, r.error.status === 404 ? `Run ${runId} not found.` : 'The run could not be read.'));
        return;
      }
      swap(inspector, h('div', {class: 'inspector-head'}, h('h3', null, 'Run details'), close), runDetails(r.data));
    });
  }
}

function decisionStatus(decision) {
  return {continue: 'finished', pause: 'waiting', escalate: 'blocked', complete: 'complete'}[decision] || 'finished';
}

function runDuration(run) {
  const d = run.details && typeof run.details.durationMs === 'number' ? run.details.durationMs : null;
  if (d !== null) return duration(d);
  const a = parseTime(run.startedAt);
  const b = parseTime(run.finishedAt);
  if (a !== null && b !== null) return duration(b - a);
  return run.status === 'running' ? h('span', {class: 'muted'}, 'running…') : '—';
}

function stateNotice(t) {
  const st = t.state || {};
  if (st.status === 'waiting' && st.needs === 'runner') {
    return h('div', {class: 'notice'}, h('strong', null, 'Waiting for its runner. '), st.message || `No installed bundle provides the runner “${t.runner}”.`);
  }
  if (st.needs === 'resume') {
    return h('div', {class: 'notice'}, h('strong', null, 'Waiting for you. '), st.error || st.result || 'The last run asked for a resume.', ' Resume it to run again.');
  }
  if (st.status === 'failed' && st.error) {
    return h('div', {class: 'error'}, h('strong', null, 'The last run failed. '), st.error);
  }
  if (st.status === 'running') {
    return h('div', {class: 'notice running'}, h('span', {class: 'spinner', 'aria-hidden': 'true'}), ' Running', st.progress ? `: ${st.progress}` : '…');
  }
  return null;
}

function runDetails(run) {
  const d = run.details || {};
  const out = [];
  out.push(h('div', {class: 'run-title'}, chip(run.status === 'finished' && run.decision ? decisionStatus(run.decision) : run.status,
    run.status === 'finished' && run.decision ? run.decision : run.status), h('span', {class: 'small muted'}, run.id)));
  if (run.summary) out.push(h('p', {class: 'run-summary'}, run.summary));
  if (run.error) out.push(h('div', {class: 'error'}, h('strong', null, 'Error. '), run.error));
  out.push(facts([
    ['Trigger', run.trigger === 'request' ? 'on request' : 'its schedule'],
    ['Due', timeEl(run.dueAt)],
    ['Started', timeEl(run.startedAt)],
    ['Finished', run.finishedAt ? timeEl(run.finishedAt) : 'still running'],
    ['Duration', runDuration(run)],
    ['Server', code(run.serverId || '')],
    ['Exit code', typeof d.exitCode === 'number' ? String(d.exitCode) : null],
    ['Timed out', d.timedOut ? 'yes' : null],
  ]));
  if ('stdoutTail' in d || 'stderrTail' in d) {
    out.push(outputBlock('Output', d.stdoutTail, d.stdoutBytes, d.stdoutTruncated));
    if (d.stderrTail || d.stderrBytes) out.push(outputBlock('Error output', d.stderrTail, d.stderrBytes, d.stderrTruncated));
  }
  const rest = Object.fromEntries(Object.entries(d).filter(([k]) => !/^(stdout|stderr)(Tail|Bytes|Truncated)$|^(exitCode|durationMs|timedOut)$/.test(k)));
  if (Object.keys(rest).length) {
    out.push(h('details', {class: 'raw'}, h('summary', null, 'All details'), h('pre', {tabindex: '0'}, JSON.stringify(rest, null, 2))));
  }
  return out;
}

function outputBlock(title, text, bytes, truncated) {
  return h('section', {class: 'output'},
    h('h4', null, title, h('span', {class: 'muted small'}, ` ${bytes || 0} bytes${truncated ? ', showing the end' : ''}`)),
    text ? h('pre', {class: 'output-text', tabindex: '0'}, text) : h('p', {class: 'muted small'}, 'nothing'));
}

function quoteArg(a) {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, '\'\\\'\'')}'`;
}

// ---- the task form -------------------------------------------------------------------------

const RUNNERS = '/api/heartbeat/runners';
const ENGINES = '/api/chat/engines';

/** GET path now (what is installed or configured may have changed since); null when it cannot be read. */
async function ensure(path) {
  try {
    const answer = await api('GET', path);
    put(path, answer);
    return answer;
  } catch {
    return null;
  }
}

export async function openTaskForm(wsId, task) {
  // The runner kinds installed now (GET /api/heartbeat/runners), and the chat engines the
  // agent runner can ask, are known before the form opens.
  const [runners, engines] = await Promise.all([ensure(RUNNERS), ensure(ENGINES)]);
  const installed = new Set(runners ? (runners.runners || []).map((r) => r.kind) : ['command']);
  const base = `/api/workspaces/${encodeURIComponent(wsId)}/heartbeat/tasks`;
  const tasksData = peek(base);
  const kinds = new Set(installed);
  for (const t of (tasksData && tasksData.tasks) || []) kinds.add(t.runner);
  if (task) kinds.add(task.runner);

  const editing = Boolean(task);
  const result = await openDialog((close) => taskForm(close, {wsId, base, task, kinds: [...kinds].sort(), installed, engines}),
    {label: editing ? 'Edit task' : 'New task', className: 'task-dialog'});
  if (result && result.id) {
    navigate(`/w/${wsId}/tasks/${result.id}`);
  }
}

function taskForm(close, {base, task, kinds, installed, engines}) {
  const editing = Boolean(task);
  const ids = {name: uid('f-name'), task: uid('f-task'), schedule: uid('f-sched'), amount: uid('f-amount'), unit: uid('f-unit'),
    runner: uid('f-runner'), argv: uid('f-argv'), timeout: uid('f-timeout'), json: uid('f-json'), enabled: uid('f-enabled'),
    engine: uid('f-engine')};
  const errors = {};
  const fieldError = (key) => {
    errors[key] = h('div', {class: 'field-error', id: `${ids[key]}-err`, 'aria-live': 'polite'});
    return errors[key];
  };

  const nameInput = h('input', {id: ids.name, name: 'name', maxlength: '200', autocomplete: 'off', autofocus: true,
    value: task ? task.name || '' : '', placeholder: 'git status'});
  const taskInput = h('textarea', {id: ids.task, name: 'task', rows: '3', required: true, maxlength: '16384',
    placeholder: 'Show what is uncommitted in the working tree'}, task ? task.task || '' : '');

  const currentMs = task && task.schedule ? task.schedule.intervalMs : 3600000;
  const isPreset = PRESETS.some(([ms]) => ms === currentMs);
  const schedSelect = h('select', {id: ids.schedule, name: 'schedule'},
    PRESETS.map(([ms, label]) => h('option', {value: String(ms), selected: ms === currentMs}, label)),
    h('option', {value: 'custom', selected: !isPreset}, 'Custom…'));
  const unit = UNITS.slice().reverse().find(([size]) => currentMs % size === 0) || UNITS[0];
  const amountInput = h('input', {id: ids.amount, type: 'number', min: '1', step: '1', inputmode: 'numeric',
    value: String(currentMs / unit[0])});
  const unitSelect = h('select', {id: ids.unit, 'aria-label': 'Unit of the custom interval'},
    UNITS.map(([size, label]) => h('option', {value: String(size), selected: size === unit[0]}, label)));
  const custom = h('div', {class: 'row custom-interval', hidden: isPreset},
    h('label', {for: ids.amount, class: 'sr'}, 'Custom interval'), amountInput, unitSelect);
  schedSelect.addEventListener('change', () => {
    custom.hidden = schedSelect.value !== 'custom';
  });

  const runnerSelect = h('select', {id: ids.runner, name: 'runner'},
    kinds.map((k) => h('option', {value: k, selected: task ? task.runner === k : k === 'command'},
      installed.has(k) ? k : `${k} (not installed now)`)));

  const argvInput = h('textarea', {id: ids.argv, rows: '3', spellcheck: 'false', class: 'mono',
    placeholder: 'git\nstatus\n--short', 'aria-describedby': `${ids.argv}-help`},
  task && task.runner === 'command' && task.runnerConfig && Array.isArray(task.runnerConfig.argv) ? task.runnerConfig.argv.join('\n') : '');
  const timeoutInput = h('input', {id: ids.timeout, type: 'number', min: '1', max: '86400', step: '1', inputmode: 'numeric',
    value: task && task.runnerConfig && task.runnerConfig.timeoutMs ? String(task.runnerConfig.timeoutMs / 1000) : '',
    placeholder: '60'});
  const jsonInput = h('textarea', {id: ids.json, rows: '4', spellcheck: 'false', class: 'mono', placeholder: '{}'},
    task && task.runner !== 'command' ? JSON.stringify(task.runnerConfig || {}, null, 2) : '{}');
  const commandConfig = h('div', {class: 'runner-config'},
    h('div', {class: 'field'}, h('label', {for: ids.argv}, 'Program and arguments, one per line'), argvInput,
      h('div', {class: 'help', id: `${ids.argv}-help`}, 'Runs without a shell, in the workspace folder. For a shell: sh, -c, then the command line.'),
      fieldError('argv')),
    h('div', {class: 'field narrow'}, h('label', {for: ids.timeout}, 'Timeout (seconds)'), timeoutInput, fieldError('timeout')));
  const jsonConfig = h('div', {class: 'runner-config'},
    h('div', {class: 'field'}, h('label', {for: ids.json}, 'Runner configuration (JSON object)'), jsonInput,
      h('div', {class: 'help'}, 'This runner is configured with a JSON object; its documentation says which fields it reads.'),
      fieldError('json')));
  // The agent runner: which chat engine to ask (none named: the highest-ranked one answers).
  const engineList = engines && engines.engines ? engines.engines : [];
  const taskEngine = task && task.runner === 'agent' && task.runnerConfig && typeof task.runnerConfig.engine === 'string'
    ? task.runnerConfig.engine : '';
  const engineLabel = (e) => `${e.name} — ${e.protocol}${e.model ? ` · ${e.model}` : ''}${e.usable === false ? ' (not usable)' : ''}`;
  const engineSelect = h('select', {id: ids.engine, name: 'engine', 'aria-describedby': `${ids.engine}-help`},
    h('option', {value: '', selected: taskEngine === ''},
      engines && engines.default ? `Highest-ranked (now ${engines.default})` : 'Highest-ranked engine'),
    engineList.map((e) => h('option', {value: e.name, selected: taskEngine === e.name, title: e.problem || null}, engineLabel(e))),
    taskEngine && !engineList.some((e) => e.name === taskEngine)
      ? h('option', {value: taskEngine, selected: true}, `${taskEngine} (not configured now)`) : null);
  const engineProblem = h('div', {class: 'engine-problem', 'aria-live': 'polite'});
  const showEngineProblem = () => {
    const name = engineSelect.value || (engines && engines.default) || '';
    const e = engineList.find((x) => x.name === name);
    if (!engines) {
      swap(engineProblem, h('div', {class: 'muted small'}, 'The chat engines could not be listed.'));
    } else if (!engineList.length) {
      swap(engineProblem, h('div', {class: 'notice small'}, h('strong', null, 'No chat engine is configured. '),
        'Runs fail until one is (see docs/chat.md).'));
    } else if (!e) {
      swap(engineProblem, h('div', {class: 'notice small'}, h('strong', null, `Engine “${name}” is not configured now. `),
        'Runs fail until it is, or another engine is chosen.'));
    } else if (e.usable === false) {
      swap(engineProblem, h('div', {class: 'notice small', 'data-engine': e.name},
        h('strong', null, `Engine “${e.name}” cannot answer: `), e.problem || 'it is not usable now.'));
    } else {
      swap(engineProblem);
    }
  };
  engineSelect.addEventListener('change', showEngineProblem);
  showEngineProblem();
  const agentConfig = h('div', {class: 'runner-config'},
    h('div', {class: 'field'}, h('label', {for: ids.engine}, 'Chat engine'), engineSelect,
      h('div', {class: 'help', id: `${ids.engine}-help`}, 'The model that reads the instruction and decides: continue, pause, complete or escalate.'),
      engineProblem, fieldError('engine')));

  const configBox = h('div');
  const showConfig = () => swap(configBox, runnerSelect.value === 'command' ? commandConfig
    : runnerSelect.value === 'agent' ? agentConfig : jsonConfig);
  runnerSelect.addEventListener('change', showConfig);
  showConfig();

  const enabledInput = h('input', {type: 'checkbox', id: ids.enabled, checked: task ? task.enabled !== false : true});
  const formStatus = h('div', {class: 'form-status', 'aria-live': 'polite'});
  const submit = h('button', {type: 'submit', class: editing ? 'primary' : '', value: 'create'}, editing ? 'Save' : 'Create');
  const submitRun = editing ? null : h('button', {type: 'submit', class: 'primary', value: 'run'}, 'Create and run');

  const form = h('form', {class: 'dialog-body task-form', novalidate: true, onsubmit: (e) => {
    e.preventDefault();
    const andRun = e.submitter && e.submitter.value === 'run';
    save(andRun);
  }},
  h('div', {class: 'dialog-head'}, h('h2', null, editing ? 'Edit task' : 'New task'),
    h('button', {type: 'button', class: 'icon-btn', 'aria-label': 'Close', onclick: () => close(null)}, icon('close'))),
  signedOutNote(),
  h('div', {class: 'field'}, h('label', {for: ids.name}, 'Name'), nameInput, fieldError('name')),
  h('div', {class: 'field'}, h('label', {for: ids.task}, 'Instruction'), taskInput,
    h('div', {class: 'help'}, 'What the task is for. Runners get it; the command runner shows it.'), fieldError('task')),
  h('div', {class: 'row'},
    h('div', {class: 'field grow'}, h('label', {for: ids.schedule}, 'Schedule'), schedSelect, custom, fieldError('schedule')),
    h('div', {class: 'field grow'}, h('label', {for: ids.runner}, 'Runner'), runnerSelect, fieldError('runner'))),
  configBox,
  h('div', {class: 'field check'}, enabledInput, h('label', {for: ids.enabled}, 'Enabled: runs on its schedule')),
  formStatus,
  h('div', {class: 'form-actions'},
    h('button', {type: 'button', onclick: () => close(null)}, 'Cancel'), submit, submitRun));

  function clearErrors() {
    for (const [key, el] of Object.entries(errors)) {
      el.replaceChildren();
      const input = inputFor(key);
      if (input) {
        input.removeAttribute('aria-invalid');
      }
    }
    formStatus.replaceChildren();
  }

  function inputFor(key) {
    return {name: nameInput, task: taskInput, schedule: schedSelect.value === 'custom' ? amountInput : schedSelect,
      runner: runnerSelect, argv: argvInput, timeout: timeoutInput, json: jsonInput, engine: engineSelect}[key];
  }

  function showFieldError(key, message) {
    const target = errors[key];
    if (!target) {
      formStatus.replaceChildren(h('div', {class: 'error', role: 'alert'}, message));
      return;
    }
    target.replaceChildren(message);
    const input = inputFor(key);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') || ''} ${target.id}`.trim());
      input.focus();
    }
  }

  function collect() {
    const body = {};
    const name = nameInput.value.trim();
    body.name = name || null;
    const text = taskInput.value.trim();
    if (!text) throw fieldProblem('task', 'Say what the task is for (the instruction).');
    body.task = text;
    let ms;
    if (schedSelect.value === 'custom') {
      const n = Number(amountInput.value);
      if (!Number.isFinite(n) || n <= 0) throw fieldProblem('schedule', 'Give the custom interval as a positive number.');
      ms = Math.round(n * Number(unitSelect.value));
    } else {
      ms = Number(schedSelect.value);
    }
    body.schedule = {intervalMs: ms};
    body.runner = runnerSelect.value;
    if (body.runner === 'command') {
      const argv = argvInput.value.split('\n').map((l) => l.trim()).filter((l) => l.length);
      if (!argv.length) throw fieldProblem('argv', 'Name the program to run on the first line.');
      body.runnerConfig = {argv};
      if (timeoutInput.value.trim()) {
        const seconds = Number(timeoutInput.value);
        if (!Number.isFinite(seconds) || seconds <= 0) throw fieldProblem('timeout', 'The timeout is a positive number of seconds.');
        body.runnerConfig.timeoutMs = Math.round(seconds * 1000);
      }
    } else if (body.runner === 'agent') {
      // other fields an agent task's configuration already holds are kept
      const kept = task && task.runner === 'agent' && task.runnerConfig ? {...task.runnerConfig} : {};
      delete kept.engine;
      if (engineSelect.value) kept.engine = engineSelect.value;
      body.runnerConfig = kept;
    } else {
      let config;
      try {
        config = JSON.parse(jsonInput.value.trim() || '{}');
      } catch (e) {
        throw fieldProblem('json', `This is not valid JSON: ${e.message}`);
      }
      if (!config || typeof config !== 'object' || Array.isArray(config)) throw fieldProblem('json', 'The configuration must be a JSON object, like {"key": "value"}.');
      body.runnerConfig = config;
    }
    body.enabled = enabledInput.checked;
    return body;
  }

  async function save(andRun) {
    clearErrors();
    let body;
    try {
      body = collect();
    } catch (e) {
      if (e.fieldKey) {
        showFieldError(e.fieldKey, e.message);
        return;
      }
      throw e;
    }
    const buttons = form.querySelectorAll('button[type=submit]');
    buttons.forEach((b) => {
      b.disabled = true;
    });
    try {
      let answer;
      if (editing) {
        const patch = changes(task, body);
        if (!Object.keys(patch).length) {
          close({id: task.id});
          return;
        }
        answer = await api('PATCH', `${base}/${encodeURIComponent(task.id)}`, patch);
      } else {
        if (!body.name) delete body.name;
        answer = await api('POST', base, body);
        if (andRun) await api('POST', `${base}/${encodeURIComponent(answer.id)}/run`);
      }
      refreshWhere((u) => u.startsWith(base));
      close({id: answer.id});
    } catch (e) {
      if (e.status === 401) {
        formStatus.replaceChildren(errorBox(e));
      } else if (e.field) {
        const key = e.field === 'schedule.intervalMs' ? 'schedule' : e.field.startsWith('runnerConfig')
          ? (body.runner === 'command' ? (e.field === 'runnerConfig.timeoutMs' ? 'timeout' : 'argv')
            : body.runner === 'agent' ? 'engine' : 'json') : e.field;
        showFieldError(key, e.message);
      } else {
        formStatus.replaceChildren(errorBox(e));
      }
    } finally {
      buttons.forEach((b) => {
        b.disabled = false;
      });
    }
  }

  return form;
}

function fieldProblem(key, message) {
  const e = new Error(message);
  e.fieldKey = key;
  return e;
}

/** The fields of body that differ from the task (a PATCH that changes nothing is refused). */
function changes(task, body) {
  const patch = {};
  if ((task.name || null) !== body.name) patch.name = body.name;
  if (task.task !== body.task) patch.task = body.task;
  if (!task.schedule || task.schedule.intervalMs !== body.schedule.intervalMs) patch.schedule = body.schedule;
  if (task.runner !== body.runner) patch.runner = body.runner;
  if (JSON.stringify(task.runnerConfig || {}) !== JSON.stringify(body.runnerConfig || {})) patch.runnerConfig = body.runnerConfig;
  if ((task.enabled !== false) !== body.enabled) patch.enabled = body.enabled;
  if (patch.runner && !patch.runnerConfig) patch.runnerConfig = body.runnerConfig;
  return patch;
}
