// 诉求详情: header, facts, tasks, the actions the state allows, and the whole timeline.
import { h, mount, options, toast } from '../lib/dom.js';
import { t, label } from '../i18n.js';
import { api, ApiError, errorText, newKey, waitForCommand } from '../lib/api.js';
import { categoryName, displayName, unitName, workingUnitGroups } from '../lib/reference.js';
import { formatTime, timeLeft } from '../lib/format.js';
import { actingUnitId, getIdentity, setIdentity } from '../lib/identity.js';
import { errorBanner, field, infoBanner, outcomeBadge, stateBadge, urgencyTag } from '../lib/ui.js';

/** Idempotency keys of commands whose answer we never got (network failure / 5xx), by petition+action. */
const pendingKeys = new Map();
/** Text typed into action forms, kept across re-renders of the same petition. */
const drafts = new Map();

export async function renderPetition(root, ctx, petitionId, opts = {}) {
  if (!opts.quiet) mount(root, h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('petition.loading')));
  let p;
  try {
    p = (await api(`/petitions/${encodeURIComponent(petitionId)}`)).data;
  } catch (err) {
    if (!ctx.alive()) return;
    mount(root,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('petition.heading'))),
      err instanceof ApiError && err.status === 404 ? infoBanner(t('petition.notFound'), 'error') : errorBanner(err));
    return;
  }
  if (!ctx.alive()) return;
  const reload = (flash) => renderPetition(root, ctx, petitionId, { quiet: true, flash });
  mount(root,
    header(p),
    opts.flash ?? null,
    h('div', { class: 'detail-columns' },
      h('div', { class: 'col-main' },
        facts(p),
        h('section', { class: 'card', 'aria-labelledby': 'sec-content' },
          h('h2', { id: 'sec-content' }, t('petition.content')),
          h('p', { class: 'content-text' }, p.content)),
        tasks(p),
        timeline(p)),
      h('div', { class: 'col-side' }, actions(p, ctx, reload))));

  // A petition still being routed: look again shortly.
  if (p.state === 'intake' && (opts.polls ?? 0) < 5) {
    setTimeout(() => { if (ctx.alive()) void renderPetition(root, ctx, petitionId, { quiet: true, polls: (opts.polls ?? 0) + 1 }); }, 1500);
  }
}

function header(p) {
  return h('div', { class: 'page-head petition-head' },
    h('div', { class: 'tracking-line' },
      h('span', { class: 'tracking-label' }, t('petition.trackingNo')),
      h('strong', { class: 'tracking-no', 'data-testid': 'tracking-no' }, p.trackingNo),
      stateBadge(p.state),
      p.outcome ? outcomeBadge(p.outcome) : null),
    h('h1', { tabindex: '-1' }, p.title));
}

function facts(p) {
  const districtName = p.district ? unitName(p.district.id, p.district.name) : '';
  const streetName = p.street ? unitName(p.street.id, p.street.name) : '';
  // English street names already start with their district ("Jinshui District Dongfenglu Subdistrict").
  const area = streetName && districtName && streetName.startsWith(districtName) ? streetName
    : [districtName, streetName].filter(Boolean).join(' / ');
  const contact = p.contact ? [p.contact.name, p.contact.phone].filter(Boolean).join('  ') : t('petition.anonymous');
  const rows = [
    ['petition.kind', label('kind', p.kind)],
    ['petition.channel', label('channel', p.channel)],
    ['petition.urgency', urgencyTag(p.urgency)],
    ['petition.category', categoryName(p.category?.id, p.category?.name)],
    ['petition.area', area || t('common.none')],
    ['petition.location', p.locationText || t('common.none')],
    ['petition.leadUnit', p.leadUnit ? unitName(p.leadUnit.id, p.leadUnit.name) : t('common.none')],
    ['petition.contact', contact],
    ['petition.createdAt', formatTime(p.createdAt)],
    ['petition.outcome', p.outcome ? label('outcome', p.outcome) : t('common.none')],
    ['petition.closedAt', p.closedAt ? formatTime(p.closedAt) : t('common.none')],
  ];
  return h('section', { class: 'card', 'aria-label': t('petition.heading') },
    h('dl', { class: 'facts' }, rows.map(([k, v]) => h('div', { class: 'fact' }, h('dt', null, t(k)), h('dd', null, v)))));
}

function tasks(p) {
  const body = p.tasks.length === 0
    ? h('p', { class: 'muted' }, t('petition.noTasks'))
    : h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null,
        ['petition.taskUnit', 'petition.taskRole', 'petition.taskStatus', 'petition.taskDue', 'petition.taskLeft'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', null, p.tasks.map((task) => {
        const open = task.status === 'to_sign' || task.status === 'in_progress';
        const left = open && task.dueAt ? timeLeft(new Date(task.dueAt).getTime() - Date.now()) : null;
        return h('tr', null,
          h('td', null, h('a', { href: `#/queue?unit=${task.unitId}&status=${open ? task.status : 'done'}` }, unitName(task.unitId, task.unitName))),
          h('td', null, label('taskRole', task.role)),
          h('td', null, h('span', { class: `tag task-${task.status}` }, label('taskStatus', task.status))),
          h('td', null, formatTime(task.dueAt)),
          h('td', { class: left?.overdue ? 'overdue' : '' }, left ? left.text : t('common.none')));
      }))));
  return h('section', { class: 'card', 'aria-labelledby': 'sec-tasks' }, h('h2', { id: 'sec-tasks' }, t('petition.tasks')), body);
}

function eventName(e) {
  if (e.type === 'SUBMIT' && e.data?.route) return t('event.SUBMIT_routed');
  return label('event', e.type);
}

function yesNo(v) {
  return v ? t('common.yes') : t('common.no');
}

/** The event's data as label/value pairs. */
function eventData(e) {
  const d = e.data ?? {};
  const rows = [];
  const route = e.type === 'SUBMIT' ? d.route : e.type === 'DISPATCH' ? d : null;
  if (e.type === 'SUBMIT' && !d.route) rows.push([null, t('data.noRoute')]);
  if (route) {
    if (route.leadUnitId) rows.push([t('data.leadUnit'), unitName(route.leadUnitId)]);
    if (route.coUnitIds?.length) rows.push([t('data.coUnits'), route.coUnitIds.map((id) => unitName(id)).join('、')]);
    if (route.slaClass) rows.push([t('data.slaClass'), label('urgency', route.slaClass)]);
  }
  if (d.reason !== undefined) rows.push([t('data.reason'), String(d.reason)]);
  if (d.result !== undefined) rows.push([t('data.result'), String(d.result)]);
  if (d.satisfaction !== undefined) rows.push([t('data.satisfaction'), label('satisfaction', d.satisfaction)]);
  if (d.resolved !== undefined) rows.push([t('data.resolved'), yesNo(d.resolved)]);
  // Anything newer than this page: show it raw rather than hide it.
  const shown = new Set(['route', 'leadUnitId', 'coUnitIds', 'slaClass', 'reason', 'result', 'satisfaction', 'resolved']);
  for (const [k, v] of Object.entries(d)) {
    if (!shown.has(k)) rows.push([k, typeof v === 'string' ? v : JSON.stringify(v)]);
  }
  return rows;
}

function timeline(p) {
  const items = p.timeline.map((e) => {
    const role = label('role', e.actor.role);
    const who = e.actor.unitId ? t('petition.byUnit', { role, unit: unitName(e.actor.unitId, e.actor.unitName) }) : t('petition.by', { role });
    const data = eventData(e);
    return h('li', { class: `tl-item tl-${e.type}${e.visibility === 'internal' ? ' tl-internal' : ''}` },
      h('div', { class: 'tl-dot', 'aria-hidden': 'true' }),
      h('div', { class: 'tl-body' },
        h('div', { class: 'tl-head' },
          h('strong', { class: 'tl-name' }, eventName(e)),
          e.visibility === 'internal' ? h('span', { class: 'tag tag-internal' }, t('common.internal')) : null,
          h('time', { datetime: e.occurredAt, class: 'tl-time' }, formatTime(e.occurredAt, true))),
        h('div', { class: 'tl-meta' },
          h('span', null, who),
          e.fromState !== e.toState ? h('span', { class: 'tl-states' }, t('petition.stateChange', { from: label('state', e.fromState), to: label('state', e.toState) })) : null),
        data.length ? h('dl', { class: 'tl-data' }, data.map(([k, v]) => h('div', null, k ? h('dt', null, k) : null, h('dd', null, v)))) : null));
  });
  return h('section', { class: 'card', 'aria-labelledby': 'sec-timeline' },
    h('h2', { id: 'sec-timeline' }, t('petition.timeline'), h('span', { class: 'count' }, String(p.timeline.length))),
    items.length ? h('ol', { class: 'timeline' }, items) : h('p', { class: 'muted' }, t('petition.noTimeline')));
}

// ---------------------------------------------------------------------------------------------
// Actions

function roleWho(role, unitId) {
  return unitId ? `${label('role', role)}（${unitName(unitId)}）` : label('role', role);
}

/** A hint and a one-click switch when the demo identity is not who normally does this. */
function actingHint(expected) {
  const me = getIdentity();
  const ok = me.role === expected.role && (!expected.unitId || actingUnitId(me) === expected.unitId);
  if (ok) return null;
  const who = roleWho(expected.role, expected.unitId);
  const current = roleWho(me.role, actingUnitId(me));
  return h('div', { class: 'acting-hint' },
    h('p', null, t('petition.actingHint', { who, current })),
    h('button', {
      type: 'button', class: 'btn btn-small',
      onclick: () => setIdentity({ role: expected.role, unitId: expected.unitId ?? me.unitId }),
    }, t('petition.switchTo', { who })));
}

function actions(p, ctx, reload) {
  const panels = [];
  const lead = p.leadUnit?.id ?? null;
  switch (p.state) {
    case 'intake':
      panels.push(infoBanner(t('petition.intakeNote')));
      panels.push(rejectPanel(p, ctx, reload, 'clerk'));
      break;
    case 'awaitingDispatch':
      panels.push(dispatchPanel(p, ctx, reload));
      panels.push(rejectPanel(p, ctx, reload, 'dispatcher'));
      break;
    case 'dispatched':
      panels.push(actionPanel(p, ctx, reload, {
        key: 'sign-for', title: t('action.signFor'), expected: { role: 'handler', unitId: lead },
        build: () => [h('p', { class: 'muted' }, t('action.signForHelp'))],
        body: () => ({}),
        submitLabel: t('action.signFor'),
      }));
      break;
    case 'handling':
      panels.push(actionPanel(p, ctx, reload, {
        key: 'complete', title: t('action.complete'), expected: { role: 'handler', unitId: lead },
        build: (d) => [
          field({ id: 'act-result', label: t('action.result'), required: true, control: textarea('act-result', d, 'result', t('action.resultPlaceholder')) }),
          h('label', { class: 'checkbox', for: 'act-resolved' },
            h('input', { type: 'checkbox', id: 'act-resolved', checked: d.resolved ?? true, onchange: (e) => { d.resolved = e.target.checked; } }),
            h('span', null, t('action.resolvedCheck'))),
        ],
        validate: (d) => (!(d.result ?? '').trim() ? ['act-result'] : []),
        body: (d) => ({ result: d.result.trim(), resolved: d.resolved ?? true }),
        fields: { result: 'act-result' },
        submitLabel: t('action.complete'),
      }));
      break;
    case 'awaitingFeedback':
      panels.push(actionPanel(p, ctx, reload, {
        key: 'rate', title: t('action.rate'), expected: { role: 'follow_up' },
        build: (d) => {
          d.satisfaction ??= 'satisfied';
          d.resolvedAnswer ??= 'yes';
          return [
            radios('act-satisfaction', t('action.satisfaction'), ['satisfied', 'basically_satisfied', 'dissatisfied'].map((v) => ({ value: v, label: label('satisfaction', v) })), d, 'satisfaction'),
            radios('act-resolvedAnswer', t('action.resolvedQuestion'), [{ value: 'yes', label: t('common.yes') }, { value: 'no', label: t('common.no') }], d, 'resolvedAnswer'),
          ];
        },
        body: (d) => ({ satisfaction: d.satisfaction, resolved: d.resolvedAnswer === 'yes' }),
        fields: { satisfaction: 'act-satisfaction', resolved: 'act-resolvedAnswer' },
        submitLabel: t('action.rate'),
      }));
      break;
    case 'closed':
      panels.push(h('p', { class: 'muted' }, t('petition.noActions')));
      break;
    default:
      break;
  }
  return h('section', { class: 'card actions-card', 'aria-labelledby': 'sec-actions' },
    h('h2', { id: 'sec-actions' }, t('petition.actions')), panels);
}

function textarea(id, d, key, placeholder) {
  const el = h('textarea', { id, rows: 4, maxlength: key === 'reason' ? 500 : 5000, placeholder, oninput: (e) => { d[key] = e.target.value; } });
  el.value = d[key] ?? '';
  return el;
}

function radios(id, legend, items, d, key) {
  return h('fieldset', { class: 'field radio-group', id, 'aria-describedby': `${id}-error` },
    h('legend', null, legend),
    h('div', { class: 'radios' }, items.map((it) => h('label', { class: 'radio' },
      h('input', { type: 'radio', name: id, value: it.value, checked: d[key] === it.value, onchange: () => { d[key] = it.value; } }),
      h('span', null, it.label)))),
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
}

function rejectPanel(p, ctx, reload, role) {
  return actionPanel(p, ctx, reload, {
    key: 'reject', title: t('action.reject'), expected: { role }, danger: true, collapsible: true,
    build: (d) => [field({ id: 'act-reason', label: t('action.rejectReason'), required: true, control: textarea('act-reason', d, 'reason', t('action.rejectPlaceholder')) })],
    validate: (d) => (!(d.reason ?? '').trim() ? ['act-reason'] : []),
    body: (d) => ({ reason: d.reason.trim() }),
    fields: { reason: 'act-reason' },
    submitLabel: t('action.reject'),
  });
}

function dispatchPanel(p, ctx, reload) {
  return actionPanel(p, ctx, reload, {
    key: 'dispatch', title: t('action.dispatch'), expected: { role: 'dispatcher' },
    build: (d) => {
      // The petition's own district first: that is where the lead unit almost always is.
      const groups = workingUnitGroups();
      const districtName = p.district ? unitName(p.district.id, p.district.name) : null;
      groups.sort((a, b) => Number(b.label.startsWith(districtName ?? '\u0000')) - Number(a.label.startsWith(districtName ?? '\u0000')));
      const select = h('select', { id: 'act-lead', onchange: (e) => { d.leadUnitId = e.target.value; } },
        h('option', { value: '' }, t('common.choose')),
        groups.map((g) => h('optgroup', { label: g.label }, options(g.units.map((u) => ({ value: u.id, label: displayName(u) })), d.leadUnitId))));
      return [field({ id: 'act-lead', label: t('action.dispatchUnit'), required: true, control: select })];
    },
    validate: (d) => (!d.leadUnitId ? ['act-lead'] : []),
    body: (d) => ({ leadUnitId: d.leadUnitId }),
    fields: { leadUnitId: 'act-lead' },
    submitLabel: t('action.dispatchSubmit'),
  });
}

/**
 * One action form. `spec.key` is the URL segment (sign-for, complete, rate, reject, dispatch).
 * The Idempotency-Key lives until the API answers, so a retry after a lost response is safe.
 */
function actionPanel(p, ctx, reload, spec) {
  const draftKey = `${p.id}:${spec.key}`;
  const d = drafts.get(draftKey) ?? {};
  drafts.set(draftKey, d);
  const status = h('div', { class: 'action-status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: `btn ${spec.danger ? 'btn-danger' : 'btn-primary'}` }, spec.submitLabel);
  const form = h('form', { class: `action action-${spec.key}`, novalidate: true, 'data-action': spec.key },
    spec.collapsible ? null : h('h3', null, spec.title),
    actingHint(spec.expected),
    spec.build(d),
    status,
    h('div', { class: 'actions-row' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    for (const slot of form.querySelectorAll('.field-error')) { slot.hidden = true; slot.textContent = ''; }
    for (const el of form.querySelectorAll('.has-error')) el.classList.remove('has-error');
    mount(status);
    const missing = spec.validate ? spec.validate(d) : [];
    if (missing.length) {
      for (const fid of missing) showFieldError(form, fid, t('intake.required'));
      return;
    }
    let key = pendingKeys.get(draftKey);
    if (!key) { key = newKey(); pendingKeys.set(draftKey, key); }
    submit.disabled = true;
    const label0 = submit.textContent;
    submit.textContent = t('common.processing');
    try {
      const { data } = await api(`/petitions/${p.id}/${spec.key}`, { method: 'POST', body: spec.body(d), idempotencyKey: key });
      pendingKeys.delete(draftKey);
      drafts.delete(draftKey);
      if (data.status === 'pending') {
        mount(status, infoBanner(t('petition.pending')));
        await waitForCommand(data.commandId).catch(() => null);
      }
      toast(`${spec.title}：${t('petition.applied')}`, 'success');
      if (ctx.alive()) await reload();
    } catch (err) {
      // A definite answer (4xx) means the key is spent: a retry must be a new request.
      if (err instanceof ApiError && err.status > 0 && err.status < 500) pendingKeys.delete(draftKey);
      if (!ctx.alive()) return;
      submit.disabled = false;
      submit.textContent = label0;
      const fid = err instanceof ApiError && err.field && spec.fields ? spec.fields[err.field] : null;
      if (fid && showFieldError(form, fid, `${errorText(err)}${err.code === 'INVALID_FIELD' ? ` (${err.message})` : ''}`)) return;
      mount(status, errorBanner(err, err instanceof ApiError && err.status === 409 ? `${spec.title}：${t('error.banner')}` : undefined));
    }
  });

  if (!spec.collapsible) return form;
  const details = h('details', { class: 'action-collapsible', open: d.open ?? false, ontoggle: (e) => { d.open = e.target.open; } },
    h('summary', null, spec.title), form);
  return details;
}

function showFieldError(form, fid, message) {
  const slot = form.querySelector(`#${CSS.escape(fid)}-error`);
  if (!slot) return false;
  slot.textContent = message;
  slot.hidden = false;
  slot.closest('.field, fieldset')?.classList.add('has-error');
  form.querySelector(`#${CSS.escape(fid)}`)?.focus();
  return true;
}
