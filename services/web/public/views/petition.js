// 诉求详情: header, facts, tasks, the actions the state allows, and the whole timeline.
//
// The action panel offers, per state, the commands the petition machine accepts there
// (workflows/petition/src/petition.v2.ts); who may send them is the API's call: a refusal
// comes back as 409 {code, message} and is shown as it is. What the panel needs to know
// beyond the petition row (returns so far, redos, pending extension/suspension requests, the
// current co-units, the original of a merge) is read off the timeline.
import { h, mount, toast } from '../lib/dom.js';
import { getLang, t, label } from '../i18n.js';
import { api, ApiError, errorText, newKey, waitForCommand } from '../lib/api.js';
import { areaName, categoryName, displayName, fieldLabel, unitName, workingUnitGroups } from '../lib/reference.js';
import { formatTime, formatTimeWithWeekday, taskTimeLeft } from '../lib/format.js';
import { deadlinesPanel } from '../lib/deadlines.js';
import { findByTrackingNumber } from '../lib/lookup.js';
import {
  actingUnitId, canSwitchIdentity, DISPATCH_ROLES, FEEDBACK_ROLES, getIdentity, INTAKE_ROLES, setIdentity, UNIT_ROLES,
} from '../lib/identity.js';
import {
  clearFieldErrors, errorBanner, field, focusFirstError, infoBanner, loadingLine, outcomeBadge, radioGroup, setFieldError, showSaveError, stateBadge,
  tableHead, unitOptgroups, urgencyTag,
} from '../lib/ui.js';

/** After this many returns (退单) the dispatcher's assignment is final (审定). Mirrors MAX_RETURNS. */
export const MAX_RETURNS = 2;
/** A dissatisfied rating sends the work back (重办) at most this many times. Mirrors MAX_REDOS. */
export const MAX_REDOS = 2;
/** Version 1 petitions run on the first machine, which knows only these commands. */
const V1_COMMANDS = new Set(['reject', 'dispatch', 'sign-for', 'complete', 'rate']);

/** Idempotency keys of commands whose answer we never got (network failure / 5xx), by petition+action, with the body sent. */
const pendingKeys = new Map();
/** Text typed into action forms, kept across re-renders of the same petition. */
const drafts = new Map();

export async function renderPetition(root, ctx, petitionId, opts = {}) {
  if (!opts.quiet) mount(root, loadingLine(t('petition.loading')));
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
  const info = deriveFromTimeline(p);
  mount(root,
    header(p, info),
    opts.flash ?? null,
    h('div', { class: 'detail-columns' },
      h('div', { class: 'col-main' },
        facts(p, info),
        deadlinesPanel(p),
        h('section', { class: 'card', 'aria-labelledby': 'sec-content' },
          h('h2', { id: 'sec-content' }, t('petition.content')),
          h('p', { class: 'content-text' }, p.content)),
        tasks(p),
        timeline(p)),
      h('div', { class: 'col-side' }, actions(p, info, ctx, reload))));

  // A petition still being routed: look again shortly.
  if (p.state === 'intake' && (opts.polls ?? 0) < 5) {
    setTimeout(() => { if (ctx.alive()) void renderPetition(root, ctx, petitionId, { quiet: true, polls: (opts.polls ?? 0) + 1 }); }, 1500);
  }
}

// ---------------------------------------------------------------------------------------------
// What the timeline tells

/**
 * The route an event set (SUBMIT with a rule, DISPATCH, REDISPATCH), or null. A SUBMIT records the
 * rule's route even when it was not used (an inquiry answered at intake): only one that led to
 * `dispatched` counts.
 */
function routeOf(e) {
  const d = e.data ?? {};
  if (e.type === 'SUBMIT') return e.toState === 'dispatched' ? d.route ?? null : null;
  if (e.type === 'DISPATCH' || e.type === 'REDISPATCH') return d.route ?? (d.leadUnitId ? d : null);
  return null;
}

/**
 * Replay the timeline the way the machine keeps its context: current lead and co-units, returns,
 * redos, whether the handling deadline passed, pending requests, and the original of a merge.
 */
export function deriveFromTimeline(p) {
  let lead = null;
  let co = [];
  let returns = 0;
  let redos = 0;
  let overdue = false;
  let pendingExtension = null;
  let pendingSuspension = null;
  let mergedInto = null;
  /** The lead unit's latest 办理结果 (a redo's completion replaces the one before). */
  let result = null;
  for (const e of p.timeline ?? []) {
    const d = e.data ?? {};
    const route = routeOf(e);
    if (route) {
      lead = route.leadUnitId ?? null;
      co = Array.isArray(route.coUnitIds) ? route.coUnitIds : [];
    }
    switch (e.type) {
      case 'RETURN': returns += 1; lead = null; co = []; break;
      case 'REQUEST_EXTENSION': pendingExtension = e; break;
      case 'DECIDE_EXTENSION': pendingExtension = null; break;
      case 'REQUEST_SUSPENSION': pendingSuspension = e; break;
      case 'DECIDE_SUSPENSION': pendingSuspension = null; break;
      case 'HANDLING_DUE': overdue = true; break;
      // A redo: the result the resident rejected is no longer the answer; the next completion gives one.
      case 'RATE': if (e.toState === 'handling') { redos += 1; overdue = false; result = null; } break;
      case 'MERGE': mergedInto = { id: d.originalId ?? null, trackingNo: d.originalTrackingNo ?? null }; break;
      case 'COMPLETE': result = typeof d.result === 'string' ? d.result : null; break;
      default: break;
    }
  }
  return {
    leadUnitId: p.leadUnit?.id ?? lead, coUnitIds: co, returns, redos, handlingOverdue: overdue,
    pendingExtension, pendingSuspension, mergedInto, result,
  };
}

// ---------------------------------------------------------------------------------------------
// Header, facts, tasks

function header(p, info) {
  return h('div', { class: 'page-head petition-head' },
    h('div', { class: 'tracking-line' },
      h('span', { class: 'tracking-label' }, t('petition.trackingNo')),
      h('strong', { class: 'tracking-no', 'data-testid': 'tracking-no' }, p.trackingNo),
      stateBadge(p.state),
      p.outcome ? outcomeBadge(p.outcome) : null,
      info.redos > 0 ? h('span', { class: 'badge badge-redo' }, t('petition.redoBadge', { n: info.redos })) : null),
    h('h1', { tabindex: '-1' }, p.title),
    info.mergedInto && (p.state === 'merged' || p.outcome === 'merged') ? mergedLine(info.mergedInto, p.state === 'closed') : null);
}

/** 已合并至 <tracking number> (and, once closed, 随原件办结). */
function mergedLine(m, closed) {
  const link = m.id ? h('a', { class: 'mono', href: `#/petition/${m.id}`, 'data-testid': 'merged-into' }, m.trackingNo ?? m.id)
    : h('span', { class: 'mono' }, m.trackingNo ?? '');
  return h('p', { class: 'merged-line' }, t('petition.mergedInto'), ' ', link, closed ? ` · ${t('petition.closedWithOriginal')}` : null);
}

function facts(p, info) {
  const area = areaName(p.district, p.street);
  const contact = p.contact ? contactCell(p) : t('petition.anonymous');
  const rows = [
    ['petition.kind', label('kind', p.kind)],
    ['petition.channel', label('channel', p.channel)],
    ['petition.urgency', urgencyTag(p.urgency)],
    ['petition.category', categoryName(p.category?.id, p.category?.name)],
    ['petition.area', area || t('common.none')],
    ['petition.location', p.locationText || t('common.none')],
    ['petition.leadUnit', p.leadUnit ? unitName(p.leadUnit.id, p.leadUnit.name) : t('common.none')],
    ['petition.coUnits', info.coUnitIds.length ? info.coUnitIds.map((id) => unitName(id)).join('、') : t('common.none')],
    ['petition.contact', contact],
    ['petition.createdAt', formatTime(p.createdAt)],
    ['petition.returns', info.returns ? t('petition.returnsValue', { n: info.returns }) : t('common.none')],
    ['petition.redos', info.redos ? t('petition.redosValue', { n: info.redos }) : t('common.none')],
    ['petition.result', info.result ?? t('common.none')],
    ['petition.outcome', p.outcome ? label('outcome', p.outcome) : t('common.none')],
    ['petition.closedAt', p.closedAt ? formatTime(p.closedAt) : t('common.none')],
  ].map(([k, v]) => [t(k), v]);
  // 分类信息 (the category's extra fields) right after the category.
  const details = Array.isArray(p.details) ? p.details.filter((d) => d && d.key) : [];
  rows.splice(4, 0, ...details.map((d) => [fieldLabel(d), getLang() === 'en' && d.valueEn ? d.valueEn : detailValue(d.value)]));
  return h('section', { class: 'card', 'aria-label': t('petition.heading') },
    h('dl', { class: 'facts' }, rows.map(([k, v]) => h('div', { class: 'fact' }, h('dt', null, k), h('dd', null, v)))));
}

/** Who may read the full contact (services/api/src/routes/contact.ts): the centre's clerks and follow-up agents, and the lead unit. */
const CONTACT_READERS = ['clerk', 'follow_up'];
/** The reason offered for a reveal, by role; it goes to the personal-data access log. */
const CONTACT_REASON = { follow_up: 'contact.reasonFollowUp', clerk: 'contact.reasonClerk', handler: 'contact.reasonUnit', department_head: 'contact.reasonUnit' };

/** 诉求人: masked, and for those who must call the resident a reveal that asks why (the API logs it). */
function contactCell(p) {
  const masked = [p.contact.name, p.contact.phone].filter(Boolean).join('  ');
  const me = getIdentity();
  const mayRead = CONTACT_READERS.includes(me.role) || (UNIT_ROLES.includes(me.role) && p.leadUnit && actingUnitId(me) === p.leadUnit.id);
  if (!mayRead) return masked;
  const cell = h('span', { class: 'contact-cell', 'data-testid': 'contact' });
  const reason = h('input', { id: 'contact-reason', type: 'text', maxlength: 200, value: t(CONTACT_REASON[me.role]), 'aria-describedby': 'contact-reason-error' });
  const error = h('p', { class: 'field-error', id: 'contact-reason-error', hidden: true });
  const form = h('form', { class: 'inline-form contact-form', hidden: true, onsubmit: async (e) => {
    e.preventDefault();
    error.hidden = true;
    const why = reason.value.trim();
    if (why.length < 2) { error.textContent = t('contact.reasonRequired'); error.hidden = false; reason.focus(); return; }
    try {
      const { data } = await api(`/petitions/${p.id}/contact?reason=${encodeURIComponent(why)}`);
      mount(cell, h('span', { 'data-testid': 'contact-full' }, [data.name, data.phone, data.address].filter(Boolean).join('  ')),
        h('span', { class: 'muted' }, ` ${t('contact.logged')}`));
    } catch (err) {
      error.textContent = errorText(err);
      error.hidden = false;
    }
  } },
  h('label', { for: 'contact-reason' }, t('contact.reason')), reason,
  h('button', { type: 'submit', class: 'btn btn-small' }, t('contact.show')), error);
  const reveal = h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'contact-reveal', onclick: () => {
    reveal.hidden = true;
    form.hidden = false;
    reason.focus();
  } }, t('contact.reveal'));
  mount(cell, masked, ' ', reveal, form);
  return cell;
}

/** A detail value as text: 是/否 for booleans, — when empty. */
function detailValue(v) {
  if (v === true) return t('common.yes');
  if (v === false) return t('common.no');
  if (v === null || v === undefined || v === '') return t('common.none');
  return String(v);
}

/** Open tasks first, then done, then returned / cancelled ones (kept for the record). */
const TASK_ORDER = { to_sign: 0, in_progress: 0, done: 1, returned: 2, cancelled: 2 };

function tasks(p) {
  const list = p.tasks.map((task, i) => ({ task, i }))
    .sort((a, b) => (TASK_ORDER[a.task.status] ?? 1) - (TASK_ORDER[b.task.status] ?? 1) || a.i - b.i)
    .map((x) => x.task);
  const body = list.length === 0
    ? h('p', { class: 'muted' }, t('petition.noTasks'))
    : h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      tableHead(['petition.taskUnit', 'petition.taskRole', 'petition.taskStatus', 'petition.taskDue', 'petition.taskLeft']),
      h('tbody', null, list.map((task) => {
        const open = task.status === 'to_sign' || task.status === 'in_progress';
        const left = open ? taskTimeLeft(p.state, task.dueAt ? new Date(task.dueAt).getTime() - Date.now() : null) : null;
        const tab = !open ? 'done' : task.role === 'co' ? 'cooperating' : task.status;
        return h('tr', { class: TASK_ORDER[task.status] === 2 ? 'is-inactive' : null },
          h('td', null, h('a', { href: `#/queue?unit=${task.unitId}&status=${tab}` }, unitName(task.unitId, task.unitName))),
          h('td', null, label('taskRole', task.role)),
          h('td', null, h('span', { class: `tag task-${task.status}` }, label('taskStatus', task.status))),
          h('td', null, formatTime(task.dueAt)),
          h('td', { class: left?.overdue ? 'overdue' : '' }, left ? left.text : t('common.none')));
      }))));
  return h('section', { class: 'card', 'aria-labelledby': 'sec-tasks' }, h('h2', { id: 'sec-tasks' }, t('petition.tasks')), body);
}

// ---------------------------------------------------------------------------------------------
// Timeline

/** The name of a timeline entry; a few depend on the entry's data or where it led. */
export function eventName(e) {
  const d = e.data ?? {};
  switch (e.type) {
    case 'SUBMIT':
      if (d.directAnswer) return t('event.SUBMIT_answered');
      return d.route ? t('event.SUBMIT_routed') : label('event', 'SUBMIT');
    case 'DECIDE_EXTENSION':
    case 'DECIDE_SUSPENSION':
      return t(`event.${e.type}_${d.approve ? 'approved' : 'denied'}`);
    case 'RATE':
      return d.satisfaction === 'dissatisfied' && e.toState === 'handling' ? t('event.RATE_redo') : label('event', 'RATE');
    default:
      return label('event', e.type);
  }
}

function yesNo(v) {
  return v ? t('common.yes') : t('common.no');
}

/** Fields of event data this page knows how to show (anything else is shown raw). */
const KNOWN_DATA = new Set([
  'route', 'leadUnitId', 'coUnitIds', 'slaClass', 'reason', 'result', 'satisfaction', 'resolved', 'text', 'visibility',
  'opinion', 'days', 'answer', 'directAnswer', 'comment', 'approve', 'originalId', 'originalTrackingNo', 'originalOutcome',
  'requiresReview', 'dueAt', 'timerKind',
]);

/** The event's data as label/value pairs. */
function eventData(e) {
  const d = e.data ?? {};
  const rows = [];
  const route = routeOf(e);
  if (e.type === 'SUBMIT' && !d.route && !d.directAnswer && e.toState === 'awaitingDispatch') rows.push([null, t('data.noRoute')]);
  if (route) {
    if (route.leadUnitId) rows.push([t('data.leadUnit'), unitName(route.leadUnitId)]);
    if (route.coUnitIds?.length) rows.push([t('data.coUnits'), route.coUnitIds.map((id) => unitName(id)).join('、')]);
    if (route.slaClass) rows.push([t('data.slaClass'), label('urgency', route.slaClass)]);
  }
  if (d.originalId || d.originalTrackingNo) {
    rows.push([t('data.original'), d.originalId
      ? h('a', { class: 'mono', href: `#/petition/${d.originalId}` }, String(d.originalTrackingNo ?? d.originalId))
      : String(d.originalTrackingNo)]);
  }
  if (d.originalOutcome !== undefined) rows.push([t('data.originalOutcome'), label('outcome', d.originalOutcome)]);
  if (d.days !== undefined) rows.push([t('data.days'), t('data.daysValue', { n: d.days })]);
  if (d.reason !== undefined && d.reason !== '') rows.push([t('data.reason'), String(d.reason)]);
  if (d.text !== undefined) rows.push([t('data.text'), String(d.text)]);
  if (d.opinion !== undefined) rows.push([t('data.opinion'), String(d.opinion)]);
  if (d.answer !== undefined) rows.push([t('data.answer'), String(d.answer)]);
  if (d.directAnswer) rows.push([t('data.answer'), String(d.directAnswer)]);
  if (d.comment !== undefined) rows.push([t('data.comment'), String(d.comment)]);
  if (d.result !== undefined) rows.push([t('data.result'), String(d.result)]);
  if (d.requiresReview === true) rows.push([null, t('data.requiresReview')]);
  // Timer entries (SIGN_FOR_DUE, HANDLING_DUE, HANDLING_REMINDER_DUE, ...): the moment that was reached; the kind is in the name.
  if (typeof d.dueAt === 'string') rows.push([t('data.dueAt'), formatTimeWithWeekday(d.dueAt)]);
  if (d.satisfaction !== undefined) rows.push([t('data.satisfaction'), label('satisfaction', d.satisfaction)]);
  if (d.resolved !== undefined) rows.push([t('data.resolved'), yesNo(d.resolved)]);
  // Anything newer than this page: show it raw rather than hide it.
  for (const [k, v] of Object.entries(d)) {
    if (!KNOWN_DATA.has(k)) rows.push([k, typeof v === 'string' ? v : JSON.stringify(v)]);
  }
  return rows;
}

function timeline(p) {
  const items = p.timeline.map((e) => {
    const role = label('role', e.actor.role);
    const who = e.actor.unitId ? t('petition.byUnit', { role, unit: unitName(e.actor.unitId, e.actor.unitName) }) : t('petition.by', { role });
    const data = eventData(e);
    const redo = e.type === 'RATE' && e.toState === 'handling';
    const tone = e.type === 'DECIDE_EXTENSION' || e.type === 'DECIDE_SUSPENSION' ? (e.data?.approve ? ' tl-approved' : ' tl-denied') : '';
    return h('li', { class: `tl-item tl-${e.type}${e.visibility === 'internal' ? ' tl-internal' : ''}${redo ? ' tl-redo' : ''}${tone}`, 'data-event': e.type },
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
// Who is expected to act

const CENTRE_ROLES = ['dispatcher', 'supervisor', 'clerk'];

/**
 * `expected` describes who normally sends a command:
 *   { roles: [...], units?: [...] }  one of the roles, acting for one of the units (when given);
 *   { involved: true, units: [...] } the dispatch centre, or anyone acting for one of the units (NOTE).
 */
function isExpected(me, exp) {
  const unit = actingUnitId(me);
  if (exp.involved) return CENTRE_ROLES.includes(me.role) || (!!unit && exp.units.includes(unit));
  if (!exp.roles.includes(me.role)) return false;
  if (exp.units) return !!unit && exp.units.includes(unit);
  return true;
}

function roleWho(role, unitId) {
  if (!unitId) return label('role', role);
  return getLang() === 'en' ? `${label('role', role)} (${unitName(unitId)})` : `${label('role', role)}（${unitName(unitId)}）`;
}

/** Identities a one-click switch can offer for `exp`. */
function switchTargets(exp) {
  if (exp.involved) return exp.units.length ? [{ role: 'handler', unitId: exp.units[0] }] : [{ role: 'dispatcher' }];
  const role = exp.roles[0];
  if (!UNIT_ROLES.includes(role)) return [{ role }];
  return (exp.units ?? []).slice(0, 3).map((unitId) => ({ role, unitId }));
}

/** A hint and one-click switches when the demo identity is not who normally does this. */
function actingHint(exp) {
  const me = getIdentity();
  if (!exp || isExpected(me, exp)) return null;
  const targets = switchTargets(exp);
  const who = exp.involved ? t('petition.whoInvolved') : targets.map((x) => roleWho(x.role, x.unitId)).join(t('petition.whoOr')) || label('role', exp.roles[0]);
  const current = roleWho(me.role, actingUnitId(me));
  // Signed in, the account decides: say who normally does this, offer no switch.
  if (!canSwitchIdentity()) return h('div', { class: 'acting-hint' }, h('p', null, t('petition.actingHintSignedIn', { who, current })));
  return h('div', { class: 'acting-hint' },
    h('p', null, t('petition.actingHint', { who, current })),
    h('div', { class: 'hint-buttons' }, targets.map((x) => h('button', {
      type: 'button', class: 'btn btn-small',
      onclick: () => setIdentity({ role: x.role, unitId: x.unitId ?? me.unitId }),
    }, t('petition.switchTo', { who: roleWho(x.role, x.unitId) })))));
}

/**
 * The roles the API accepts for each command (services/api/src/routes/petition-commands.ts
 * COMMAND_ROUTES: its CENTRE is INTAKE_ROLES here, its UNIT is UNIT_ROLES).
 */
const COMMAND_ROLES = {
  answer: INTAKE_ROLES, reject: INTAKE_ROLES, merge: INTAKE_ROLES, dispatch: DISPATCH_ROLES, redispatch: DISPATCH_ROLES,
  'sign-for': UNIT_ROLES, return: UNIT_ROLES, notes: [...INTAKE_ROLES, ...UNIT_ROLES],
  opinions: UNIT_ROLES, 'extension-requests': UNIT_ROLES, 'extension-decisions': ['department_head'], 'suspension-requests': UNIT_ROLES,
  'suspension-decisions': ['department_head'], resume: UNIT_ROLES, complete: UNIT_ROLES, 'review-approval': DISPATCH_ROLES, 'send-back': DISPATCH_ROLES,
  rate: [...FEEDBACK_ROLES, 'resident'], withdraw: ['resident', 'clerk', 'follow_up'],
};

/**
 * Whether to offer a command's form. Signed in, the account decides: a form the API would refuse
 * (the role) or the machine would refuse (another unit's task) is left out. The demo identity
 * sees every form, with a hint and a switch to whoever normally does it.
 */
function offered(spec) {
  if (canSwitchIdentity()) return true;
  const me = getIdentity();
  const roles = COMMAND_ROLES[spec.key];
  if (roles && !roles.includes(me.role)) return false;
  if (spec.expected?.units && UNIT_ROLES.includes(me.role)) return spec.expected.units.includes(actingUnitId(me));
  return true;
}

// ---------------------------------------------------------------------------------------------
// Actions per state

function actions(p, info, ctx, reload) {
  const lead = info.leadUnitId;
  const leadUnits = lead ? [lead] : [];
  const involved = { involved: true, units: [...leadUnits, ...info.coUnitIds] };
  const asLead = { roles: ['handler', 'department_head'], units: leadUnits };
  const asHead = { roles: ['department_head'], units: leadUnits };
  const asDispatcher = { roles: ['dispatcher'] };
  const v1 = p.machineVersion === 1;
  let shown = 0;
  const mk = (spec) => {
    if (!offered(spec)) return null;
    shown += 1;
    return actionPanel(p, ctx, reload, spec);
  };
  const panels = [];
  const add = (spec) => { if (!v1 || V1_COMMANDS.has(spec.key)) panels.push(mk(spec)); };

  switch (p.state) {
    case 'intake':
      panels.push(infoBanner(t('petition.intakeNote')));
      add(rejectSpec({ roles: ['clerk'] }));
      break;
    case 'awaitingDispatch':
      if (info.returns > 0) panels.push(returnsNote(info, 'dispatcher'));
      add(dispatchSpec(p, 'dispatch', asDispatcher));
      if (p.kind === 'inquiry') add(answerSpec(asDispatcher));
      add(mergeSpec(p, asDispatcher));
      add(rejectSpec(asDispatcher));
      add(withdrawSpec());
      add(noteSpec(involved));
      break;
    case 'dispatched':
      add(confirmSpec('sign-for', 'action.signFor', 'action.signForHelp', asLead));
      if (!v1) {
        if (info.returns > 0) panels.push(returnsNote(info, 'unit'));
        if (info.returns < MAX_RETURNS) add(returnSpec(info, asLead));
        add(dispatchSpec(p, 'redispatch', asDispatcher));
        add(noteSpec(involved));
        if (info.coUnitIds.length) add(opinionSpec({ roles: ['handler', 'department_head'], units: info.coUnitIds }));
        add(mergeSpec(p, asDispatcher));
        add(withdrawSpec());
      }
      break;
    case 'handling':
      if (!v1) {
        if (info.pendingExtension) panels.push(mk(decisionSpec('extension', info.pendingExtension, asHead)));
        if (info.pendingSuspension) panels.push(mk(decisionSpec('suspension', info.pendingSuspension, asHead)));
        if (info.redos > 0) panels.push(infoBanner(t('petition.redoNote', { n: info.redos, max: MAX_REDOS }), 'warn'));
      }
      add(completeSpec(asLead));
      add(noteSpec(involved));
      if (info.coUnitIds.length) add(opinionSpec({ roles: ['handler', 'department_head'], units: info.coUnitIds }));
      if (!v1) {
        if (info.pendingExtension) panels.push(mutedNote(t('action.extensionPendingNote')));
        else if (info.handlingOverdue) panels.push(mutedNote(t('action.extensionOverdueNote')));
        else add(extensionSpec(asLead));
        if (info.pendingSuspension) panels.push(mutedNote(t('action.suspensionPendingNote')));
        else if (info.handlingOverdue) panels.push(mutedNote(t('action.suspensionOverdueNote')));
        else add(suspensionSpec(asLead));
      }
      add(dispatchSpec(p, 'redispatch', asDispatcher));
      add(withdrawSpec());
      break;
    case 'suspended':
      panels.push(infoBanner(t('petition.suspendedNote'), 'warn'));
      add(confirmSpec('resume', 'action.resume', 'action.resumeHelp', asLead));
      add(noteSpec(involved));
      add(withdrawSpec());
      break;
    case 'reviewing':
      panels.push(infoBanner(t('petition.reviewingNote')));
      add(confirmSpec('review-approval', 'action.reviewApprove', 'action.reviewApproveHelp', asDispatcher));
      add(sendBackSpec(asDispatcher));
      add(noteSpec(involved));
      break;
    case 'awaitingFeedback':
      add(rateSpec(info));
      break;
    case 'merged':
      panels.push(info.mergedInto ? h('div', { class: 'merged-box' }, mergedLine(info.mergedInto, false), h('p', { class: 'muted' }, t('petition.mergedNote')))
        : h('p', { class: 'muted' }, t('petition.mergedNote')));
      break;
    case 'closed':
      if (p.outcome === 'merged' && info.mergedInto) panels.push(h('div', { class: 'merged-box' }, mergedLine(info.mergedInto, true)));
      panels.push(h('p', { class: 'muted' }, t('petition.noActions')));
      break;
    default:
      panels.push(h('p', { class: 'muted' }, t('petition.unknownState', { state: p.state })));
      break;
  }
  if (v1 && !['closed', 'merged'].includes(p.state)) panels.push(mutedNote(t('petition.v1Note')));
  if (shown === 0 && !['closed', 'merged'].includes(p.state)) panels.push(mutedNote(t('petition.noActionsForYou')));
  return h('section', { class: 'card actions-card', 'aria-labelledby': 'sec-actions' },
    h('h2', { id: 'sec-actions', tabindex: '-1' }, t('petition.actions')), panels);
}

function mutedNote(text) {
  return h('p', { class: 'muted action-note' }, text);
}

/** 已退单 N 次, and what that means for whoever looks. */
function returnsNote(info, who) {
  const final = info.returns >= MAX_RETURNS;
  const text = final ? t('action.returnsFinal', { n: info.returns, max: MAX_RETURNS })
    : who === 'dispatcher' ? t('action.returnsSoFarDispatcher', { n: info.returns, max: MAX_RETURNS, left: MAX_RETURNS - info.returns })
      : t('action.returnsSoFar', { n: info.returns, max: MAX_RETURNS, left: MAX_RETURNS - info.returns });
  return h('div', { class: `returns-note${final ? ' is-final' : ''}`, 'data-testid': 'returns-note' },
    h('strong', null, t('action.returnsCount', { n: info.returns })), ' ', text);
}

// ---- specs ---------------------------------------------------------------------------------
// A spec: key (URL segment), title, expected, build(d, fid) → nodes, validate(d, fid) → [[id, message?]],
// body(d), fields (API field → control id), submitLabel | buttons, danger, collapsible, primary.

/** The required textarea for the draft's `name`; a reason is at most 500 characters, other texts 5000. */
function textField(d, fid, name, labelKey, placeholderKey) {
  return field({ id: fid(name), label: t(labelKey), required: true, control: textarea(fid(name), d, name, t(placeholderKey), name === 'reason' ? 500 : 5000) });
}
const needText = (d, key, id) => (!(d[key] ?? '').trim() ? [[id]] : []);

/** An action with nothing to fill in: a line of help and the button. */
function confirmSpec(key, titleKey, helpKey, expected) {
  return {
    key, title: t(titleKey), expected, primary: true,
    build: () => [h('p', { class: 'muted' }, t(helpKey))],
    body: () => ({}),
    submitLabel: t(titleKey),
  };
}

/**
 * A collapsed action that sends one required text: `name` is the body field (reason, answer,
 * opinion), `help` an optional line above the textarea; `rest` is the spec's key, id, title,
 * expected, danger.
 */
function textSpec({ name = 'reason', help, labelKey, placeholderKey, submitKey, ...rest }) {
  return {
    ...rest, collapsible: true,
    build: (d, fid) => [help ? h('p', { class: 'muted' }, help) : null, textField(d, fid, name, labelKey, placeholderKey)],
    validate: (d, fid) => needText(d, name, fid(name)),
    body: (d) => ({ [name]: d[name].trim() }),
    fields: { [name]: name },
    submitLabel: t(submitKey),
  };
}

function rejectSpec(expected) {
  return textSpec({
    key: 'reject', title: t('action.reject'), expected, danger: true,
    labelKey: 'action.rejectReason', placeholderKey: 'action.rejectPlaceholder', submitKey: 'action.reject',
  });
}

function withdrawSpec() {
  return textSpec({
    key: 'withdraw', title: t('action.withdraw'), expected: { roles: ['resident', 'clerk', 'follow_up'] }, danger: true, help: t('action.withdrawHelp'),
    labelKey: 'action.withdrawReason', placeholderKey: 'action.withdrawPlaceholder', submitKey: 'action.withdraw',
  });
}

function answerSpec(expected) {
  return textSpec({
    key: 'answer', title: t('action.answer'), expected, name: 'answer', help: t('action.answerHelp'),
    labelKey: 'action.answerText', placeholderKey: 'action.answerPlaceholder', submitKey: 'action.answerSubmit',
  });
}

function returnSpec(info, expected) {
  return textSpec({
    key: 'return', title: t('action.return'), expected, danger: true, help: t('action.returnHelp', { left: MAX_RETURNS - info.returns }),
    labelKey: 'action.returnReason', placeholderKey: 'action.returnPlaceholder', submitKey: 'action.returnSubmit',
  });
}

function opinionSpec(expected) {
  return textSpec({
    key: 'opinions', id: 'opinion', title: t('action.opinion'), expected, name: 'opinion', help: t('action.opinionHelp'),
    labelKey: 'action.opinionText', placeholderKey: 'action.opinionPlaceholder', submitKey: 'action.opinionSubmit',
  });
}

function suspensionSpec(expected) {
  return textSpec({
    key: 'suspension-requests', id: 'suspension', title: t('action.suspension'), expected, help: t('action.suspensionHelp'),
    labelKey: 'action.suspensionReason', placeholderKey: 'action.suspensionPlaceholder', submitKey: 'action.suspensionSubmit',
  });
}

function sendBackSpec(expected) {
  return textSpec({
    key: 'send-back', title: t('action.sendBack'), expected, danger: true, help: t('action.sendBackHelp'),
    labelKey: 'action.sendBackReason', placeholderKey: 'action.sendBackPlaceholder', submitKey: 'action.sendBack',
  });
}

/** 人工派单 (key dispatch) or 改派 (key redispatch, with a reason): lead unit, optional co-units. */
function dispatchSpec(p, key, expected) {
  const redispatch = key === 'redispatch';
  return {
    key, title: t(redispatch ? 'action.redispatch' : 'action.dispatch'), expected,
    primary: !redispatch, collapsible: redispatch,
    build: (d, fid) => {
      d.coUnitIds ??= [];
      const co = coUnitPicker(p, d, fid('co'));
      const lead = leadUnitSelect(p, d, fid('lead'), () => co.refresh());
      return [
        redispatch ? h('p', { class: 'muted' }, t('action.redispatchHelp')) : null,
        field({ id: fid('lead'), label: t(redispatch ? 'action.newLeadUnit' : 'action.dispatchUnit'), required: true, control: lead }),
        co.node,
        redispatch ? textField(d, fid, 'reason', 'action.redispatchReason', 'action.redispatchPlaceholder') : null,
      ];
    },
    validate: (d, fid) => [
      ...(!d.leadUnitId ? [[fid('lead')]] : []),
      ...(redispatch ? needText(d, 'reason', fid('reason')) : []),
    ],
    body: (d) => {
      const body = { leadUnitId: d.leadUnitId };
      const co = (d.coUnitIds ?? []).filter((id) => id !== d.leadUnitId);
      if (co.length) body.coUnitIds = co;
      if (redispatch) body.reason = d.reason.trim();
      return body;
    },
    fields: { leadUnitId: 'lead', coUnitIds: 'co', reason: 'reason' },
    submitLabel: t(redispatch ? 'action.redispatchSubmit' : 'action.dispatchSubmit'),
  };
}

function noteSpec(expected) {
  return {
    key: 'notes', id: 'note', title: t('action.note'), expected, collapsible: true,
    build: (d, fid) => {
      d.visibility ??= 'public';
      return [
        textField(d, fid, 'text', 'action.noteText', 'action.notePlaceholder'),
        radios(fid('visibility'), t('action.noteVisibility'), [
          { value: 'public', label: t('action.notePublic') },
          { value: 'internal', label: t('action.noteInternal') },
        ], d, 'visibility'),
        h('p', { class: 'hint' }, t('action.noteVisibilityHelp')),
      ];
    },
    validate: (d, fid) => needText(d, 'text', fid('text')),
    body: (d) => ({ text: d.text.trim(), visibility: d.visibility }),
    fields: { text: 'text', visibility: 'visibility' },
    submitLabel: t('action.noteSubmit'),
  };
}

function completeSpec(expected) {
  return {
    key: 'complete', title: t('action.complete'), expected, primary: true,
    build: (d, fid) => [
      textField(d, fid, 'result', 'action.result', 'action.resultPlaceholder'),
      h('label', { class: 'checkbox', for: fid('resolved') },
        h('input', { type: 'checkbox', id: fid('resolved'), checked: d.resolved ?? true, onchange: (e) => { d.resolved = e.target.checked; } }),
        h('span', null, t('action.resolvedCheck'))),
    ],
    validate: (d, fid) => needText(d, 'result', fid('result')),
    body: (d) => ({ result: d.result.trim(), resolved: d.resolved ?? true }),
    fields: { result: 'result' },
    submitLabel: t('action.complete'),
  };
}

function extensionSpec(expected) {
  return {
    key: 'extension-requests', id: 'extension', title: t('action.extension'), expected, collapsible: true,
    build: (d, fid) => {
      d.days ??= '3';
      const days = h('input', { type: 'number', id: fid('days'), min: 1, max: 30, step: 1, inputmode: 'numeric', class: 'input-days', oninput: (e) => { d.days = e.target.value; } });
      days.value = d.days;
      return [
        h('p', { class: 'muted' }, t('action.extensionHelp')),
        field({ id: fid('days'), label: t('action.extensionDays'), required: true, control: days, hint: t('action.extensionDaysHint') }),
        textField(d, fid, 'reason', 'action.extensionReason', 'action.extensionPlaceholder'),
      ];
    },
    validate: (d, fid) => {
      const n = Number(d.days);
      return [
        ...(!Number.isInteger(n) || n < 1 || n > 30 ? [[fid('days'), t('action.extensionDaysInvalid')]] : []),
        ...needText(d, 'reason', fid('reason')),
      ];
    },
    body: (d) => ({ days: Number(d.days), reason: d.reason.trim() }),
    fields: { days: 'days', reason: 'reason' },
    submitLabel: t('action.extensionSubmit'),
  };
}

/** The highlighted box for a pending extension or suspension request, with 批准 / 不批准. */
function decisionSpec(kind, request, expected) {
  const r = request.data ?? {};
  const by = request.actor.unitId ? `${label('role', request.actor.role)} · ${unitName(request.actor.unitId, request.actor.unitName)}` : label('role', request.actor.role);
  return {
    key: `${kind}-decisions`, id: `${kind}-decision`, title: t(`action.${kind}Pending`), expected, pending: true,
    build: (d, fid) => [
      h('dl', { class: 'pending-facts' },
        h('div', null, h('dt', null, t('action.requestedBy')), h('dd', null, by)),
        h('div', null, h('dt', null, t('action.requestedAt')), h('dd', null, formatTime(request.occurredAt))),
        r.days !== undefined ? h('div', null, h('dt', null, t('data.days')), h('dd', null, t('data.daysValue', { n: r.days }))) : null,
        h('div', null, h('dt', null, t('data.reason')), h('dd', null, String(r.reason ?? '')))),
      field({ id: fid('comment'), label: t('action.decisionComment'), optional: true, control: textarea(fid('comment'), d, 'comment', t('action.decisionCommentPlaceholder'), 500) }),
      h('p', { class: 'hint' }, t(`action.${kind}DecisionHelp`)),
    ],
    body: (d) => ({ approve: d.approve === true, ...((d.comment ?? '').trim() ? { comment: d.comment.trim() } : {}) }),
    doneText: (body) => t(`event.DECIDE_${kind.toUpperCase()}_${body.approve ? 'approved' : 'denied'}`),
    fields: { comment: 'comment' },
    buttons: [
      { label: t('action.approve'), set: { approve: true }, primary: true, testid: `${kind}-approve` },
      { label: t('action.deny'), set: { approve: false }, danger: true, testid: `${kind}-deny` },
    ],
  };
}

function rateSpec(info) {
  const redosLeft = Math.max(0, MAX_REDOS - info.redos);
  return {
    key: 'rate', title: t('action.rate'), expected: { roles: ['follow_up', 'resident'] }, primary: true,
    // Nothing is preselected: a rating the resident did not give must not be one click away.
    build: (d, fid) => {
      const explain = h('p', { class: `rate-explain${d.satisfaction === 'dissatisfied' ? ' is-warning' : ''}`, 'data-testid': 'rate-explain' },
        redosLeft > 0 ? t('action.rateRedoHelp', { max: MAX_REDOS, n: info.redos, left: redosLeft }) : t('action.rateNoRedoHelp', { max: MAX_REDOS }));
      const group = radios(fid('satisfaction'), t('action.satisfaction'), ['satisfied', 'basically_satisfied', 'dissatisfied'].map((v) => ({ value: v, label: label('satisfaction', v) })), d, 'satisfaction',
        () => explain.classList.toggle('is-warning', d.satisfaction === 'dissatisfied'), true);
      return [
        group,
        radios(fid('resolved'), t('action.resolvedQuestion'), [{ value: 'yes', label: t('common.yes') }, { value: 'no', label: t('common.no') }], d, 'resolvedAnswer', undefined, true),
        explain,
      ];
    },
    validate: (d, fid) => [
      ...(!d.satisfaction ? [[fid('satisfaction'), t('action.rateChoose')]] : []),
      ...(!d.resolvedAnswer ? [[fid('resolved'), t('action.rateChoose')]] : []),
    ],
    body: (d) => ({ satisfaction: d.satisfaction, resolved: d.resolvedAnswer === 'yes' }),
    fields: { satisfaction: 'satisfaction', resolved: 'resolved' },
    submitLabel: t('action.rateSubmit'),
  };
}

/** 合并: find the original by tracking number, check it, then merge into it. */
function mergeSpec(p, expected) {
  return {
    key: 'merge', title: t('action.merge'), expected, collapsible: true,
    build: (d, fid) => {
      const input = h('input', {
        type: 'search', id: fid('no'), inputmode: 'numeric', autocomplete: 'off', placeholder: t('search.placeholder'),
        oninput: (e) => { d.no = e.target.value; },
        onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); void find(); } },
      });
      input.value = d.no ?? '';
      const preview = h('div', { class: 'merge-preview', 'aria-live': 'polite' });
      const show = () => {
        const o = d.original;
        if (!o) { mount(preview); return; }
        const notOpen = o.state === 'closed' || o.state === 'merged';
        mount(preview, h('div', { class: `merge-original${notOpen || o.id === p.id ? ' is-problem' : ''}` },
          h('div', null, h('a', { class: 'mono', href: `#/petition/${o.id}`, target: '_blank', rel: 'noopener' }, o.trackingNo), ' ', stateBadge(o.state)),
          h('div', { class: 'merge-title' }, o.title),
          o.id === p.id ? h('p', { class: 'field-error' }, t('action.mergeSelf'))
            : notOpen ? h('p', { class: 'field-error' }, t('action.mergeNotOpen')) : null));
      };
      const find = async () => {
        d.original = null;
        show();
        const errSlot = preview.closest('form')?.querySelector(`#${CSS.escape(fid('no'))}-error`);
        if (errSlot) { errSlot.hidden = true; errSlot.textContent = ''; }
        const { data, problem } = await findByTrackingNumber(d.no);
        if (!data) {
          if (errSlot) { errSlot.textContent = problem; errSlot.hidden = false; }
          return;
        }
        d.original = { id: data.id, trackingNo: data.trackingNo, title: data.title, state: data.state };
        show();
      };
      show();
      const lookup = field({
        id: fid('no'), label: t('action.mergeOriginal'), required: true,
        control: h('div', { class: 'inline-lookup' }, input,
          h('button', { type: 'button', class: 'btn btn-small', onclick: () => void find() }, t('action.mergeFind'))),
      });
      return [
        h('p', { class: 'muted' }, t('action.mergeHelp')),
        lookup,
        preview,
      ];
    },
    validate: (d, fid) => (!d.original ? [[fid('no'), t('action.mergeFindFirst')]] : d.original.id === p.id ? [[fid('no'), t('action.mergeSelf')]] : []),
    body: (d) => ({ originalId: d.original.id }),
    fields: { originalId: 'no' },
    submitLabel: t('action.mergeSubmit'),
  };
}

// ---- controls ------------------------------------------------------------------------------

function textarea(id, d, key, placeholder, maxlength = 5000) {
  const el = h('textarea', { id, rows: 3, maxlength, placeholder, oninput: (e) => { d[key] = e.target.value; } });
  el.value = d[key] ?? '';
  return el;
}

/** Radio buttons for the draft's `key`. */
function radios(id, legend, items, d, key, onchange, required = false) {
  return radioGroup({ id, legend, items, required, checked: d[key], onpick: (v) => { d[key] = v; onchange?.(); } });
}

/** Working-unit groups with the petition's own district first: that is where the units almost always are. */
function groupsFor(p) {
  const groups = workingUnitGroups();
  const districtName = p.district ? unitName(p.district.id, p.district.name) : '\u0000';
  return groups.sort((a, b) => Number(b.label.startsWith(districtName)) - Number(a.label.startsWith(districtName)));
}

function leadUnitSelect(p, d, id, onchange) {
  return h('select', { id, onchange: (e) => { d.leadUnitId = e.target.value; onchange?.(); } },
    h('option', { value: '' }, t('common.choose')),
    unitOptgroups(d.leadUnitId, groupsFor(p)));
}

const MAX_CO_UNITS = 10;

/** 配合单位: a filterable checkbox list (up to 10), never the lead unit. Returns { node, refresh }. */
function coUnitPicker(p, d, id) {
  const summary = h('p', { class: 'co-summary', id: `${id}-summary` });
  const filter = h('input', { type: 'search', class: 'co-filter', placeholder: t('action.coFilter'), 'aria-label': t('action.coFilter'), autocomplete: 'off' });
  const boxes = [];
  const list = h('div', { class: 'co-list', id, role: 'group', 'aria-label': t('action.coUnits'), 'aria-describedby': `${id}-summary ${id}-error` },
    groupsFor(p).map((g) => h('div', { class: 'co-group' },
      h('div', { class: 'co-group-label' }, g.label),
      g.units.map((u) => {
        const box = h('input', {
          type: 'checkbox', value: u.id, checked: d.coUnitIds.includes(u.id),
          onchange: (e) => {
            d.coUnitIds = e.target.checked ? [...d.coUnitIds, u.id] : d.coUnitIds.filter((x) => x !== u.id);
            refresh();
          },
        });
        boxes.push(box);
        return h('label', { class: 'co-option', 'data-name': `${u.name} ${u.nameEn ?? ''}`.toLowerCase() }, box, h('span', null, displayName(u)));
      }))));
  const refresh = () => {
    d.coUnitIds = d.coUnitIds.filter((x) => x !== d.leadUnitId);
    const full = d.coUnitIds.length >= MAX_CO_UNITS;
    for (const b of boxes) {
      const isLead = b.value === d.leadUnitId;
      b.checked = d.coUnitIds.includes(b.value);
      b.disabled = isLead || (full && !b.checked);
      b.closest('.co-option').classList.toggle('is-lead', isLead);
    }
    summary.textContent = d.coUnitIds.length
      ? t('action.coChosen', { n: d.coUnitIds.length, units: d.coUnitIds.map((x) => unitName(x)).join('、') })
      : t('action.coNone');
  };
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    for (const g of list.querySelectorAll('.co-group')) {
      let any = false;
      for (const o of g.querySelectorAll('.co-option')) {
        const show = !q || o.dataset.name.includes(q) || o.textContent.toLowerCase().includes(q);
        o.hidden = !show;
        any ||= show;
      }
      g.hidden = !any;
    }
  });
  refresh();
  const node = h('fieldset', { class: 'field co-picker', 'data-field-wrap': id },
    h('legend', null, t('action.coUnits'), h('span', { class: 'optional' }, t('common.optional'))),
    summary, filter, list,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
  return { node, refresh };
}

// ---- the form ------------------------------------------------------------------------------

/**
 * One action form. `spec.key` is the URL segment (sign-for, complete, rate, ...). The
 * Idempotency-Key lives until the API answers, so a retry after a lost response is safe.
 */
function actionPanel(p, ctx, reload, spec) {
  const formId = spec.id ?? spec.key;
  const fid = (name) => `act-${formId}-${name}`;
  const draftKey = `${p.id}:${formId}`;
  const d = drafts.get(draftKey) ?? {};
  drafts.set(draftKey, d);
  const status = h('div', { class: 'action-status', 'aria-live': 'polite' });
  const buttons = spec.buttons
    ? spec.buttons.map((b) => h('button', {
      type: 'submit', class: `btn ${b.danger ? 'btn-danger' : b.primary ? 'btn-primary' : ''}`, 'data-testid': b.testid ?? null,
      onclick: () => { Object.assign(d, b.set); },
    }, b.label))
    : [h('button', { type: 'submit', class: `btn ${spec.danger ? 'btn-danger' : 'btn-primary'}` }, spec.submitLabel)];
  const form = h('form', { class: `action action-${formId}${spec.pending ? ' action-pending' : ''}`, novalidate: true, 'data-action': formId },
    spec.collapsible ? null : h('h3', null, spec.title),
    actingHint(spec.expected),
    spec.build(d, fid),
    status,
    h('div', { class: 'actions-row' }, buttons));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (buttons.some((b) => b.disabled)) return;
    clearFieldErrors(form);
    mount(status);
    const missing = spec.validate ? spec.validate(d, fid) : [];
    if (missing.length) {
      for (const [id, msg] of missing) setFieldError(form, id, msg ?? t('intake.required'));
      focusFirstError(form);
      return;
    }
    const body = spec.body(d);
    const bodyJson = JSON.stringify(body);
    // Reuse the key only for the very same request (a retry); a changed request is a new one.
    let pending = pendingKeys.get(draftKey);
    if (!pending || pending.body !== bodyJson) { pending = { key: newKey(), body: bodyJson }; pendingKeys.set(draftKey, pending); }
    const labels = buttons.map((b) => b.textContent);
    const clicked = e.submitter && buttons.includes(e.submitter) ? e.submitter : buttons[0];
    for (const b of buttons) b.disabled = true;
    clicked.textContent = t('common.processing');
    const restore = () => buttons.forEach((b, i) => { b.disabled = false; b.textContent = labels[i]; });
    try {
      const { data } = await api(`/petitions/${p.id}/${spec.key}`, { method: 'POST', body, idempotencyKey: pending.key });
      pendingKeys.delete(draftKey);
      if (data.status === 'pending') {
        mount(status, infoBanner(t('petition.pending')));
        const cmd = await waitForCommand(data.commandId).catch(() => null);
        if (cmd?.status === 'rejected') throw new ApiError(409, { code: cmd.code, message: cmd.reason, state: cmd.state });
      }
      drafts.delete(draftKey);
      toast(spec.doneText ? spec.doneText(body) : t('petition.appliedToast', { action: spec.title }), 'success');
      if (ctx.alive()) {
        await reload();
        // The form is gone with the re-render: keyboard users continue from the next actions, not from the top.
        document.getElementById('sec-actions')?.focus();
      }
    } catch (err) {
      // A definite answer (4xx) means the key is spent: a retry must be a new request.
      if (err instanceof ApiError && err.status > 0 && err.status < 500) pendingKeys.delete(draftKey);
      if (!ctx.alive()) return;
      restore();
      showSaveError(form, status, err, (f) => (spec.fields?.[f] ? fid(spec.fields[f]) : null), {
        title: err instanceof ApiError && err.status === 409 ? t('error.refusedTitle', { action: spec.title }) : undefined,
      });
    }
  });

  if (!spec.collapsible) return form;
  return h('details', {
    class: `action-collapsible${spec.danger ? ' is-danger' : ''}`, open: d.open ?? false, 'data-action-toggle': formId,
    ontoggle: (e) => { d.open = e.target.open; },
  }, h('summary', null, spec.title), form);
}

