// 部门工单: a unit's tasks by tab (待签收 / 办理中 / 配合中 / 已超时 / 已办结), soonest deadline first,
// with the API's count for every tab and paging.
import { h, mount, toast } from '../lib/dom.js';
import { t, label } from '../i18n.js';
import { ref, unitName, workingUnitGroups } from '../lib/reference.js';
import { formatTime, taskTimeLeft } from '../lib/format.js';
import { actingUnitId, canSwitchIdentity, getIdentity, isSignedIn, setIdentity, UNIT_ROLES } from '../lib/identity.js';
import { loadInto, stateBadge, tableHead, unitOptgroups, urgencyTag } from '../lib/ui.js';

/** The API's queue buckets (GET /units/:id/tasks?status=), in tab order. */
const STATUSES = ['to_sign', 'in_progress', 'awaiting_decision', 'cooperating', 'overdue', 'done'];
const PAGE_SIZE = 20;
const UNIT_KEY = 'petitions.queueUnit';
/** Set when the user switches tabs, so the re-rendered view puts focus back on the selected tab. */
let focusTab = false;

function rememberedUnit() {
  try { return localStorage.getItem(UNIT_KEY); } catch { return null; }
}

/** #/queue?unit=<id>&status=to_sign&page=0 */
export function queueHash(unit, status = 'to_sign', page = 0) {
  const q = new URLSearchParams();
  if (unit) q.set('unit', unit);
  q.set('status', status);
  if (page > 0) q.set('page', String(page));
  return `#/queue?${q}`;
}

/**
 * The units whose queues the picker offers. Signed in, a handler or department head reads only
 * their own unit's and a leader those under their city or district (the API answers 404 for the
 * rest); the demo identity can switch unit, so it is offered every unit.
 */
function pickableGroups() {
  const me = getIdentity();
  const groups = workingUnitGroups();
  if (!isSignedIn() || !me.unitId || ![...UNIT_ROLES, 'leader'].includes(me.role)) return groups;
  const under = (u) => {
    for (let x = u; x; x = x.parentId ? ref.unitById.get(x.parentId) : undefined) if (x.id === me.unitId) return true;
    return false;
  };
  return groups.map((g) => ({ ...g, units: g.units.filter(under) })).filter((g) => g.units.length > 0);
}

export async function renderQueue(root, ctx, query) {
  let unitId = query.get('unit') || actingUnitId() || rememberedUnit() || '';
  if (unitId && !ref.unitById.has(unitId)) unitId = '';
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : 'to_sign';
  const page = Math.max(0, Number.parseInt(query.get('page') ?? '0', 10) || 0);
  if (unitId) { try { localStorage.setItem(UNIT_KEY, unitId); } catch { /* ignore */ } }

  const picker = h('select', {
    id: 'queue-unit',
    onchange: (e) => { location.hash = queueHash(e.target.value, status, 0); },
  },
  h('option', { value: '' }, t('queue.chooseUnit')),
  unitOptgroups(unitId, pickableGroups()));

  const body = h('div', { class: 'queue-body' });
  mount(root,
    h('div', { class: 'page-head queue-head' },
      h('h1', { tabindex: '-1' }, t('queue.heading')),
      h('div', { class: 'queue-picker' }, h('label', { for: 'queue-unit' }, t('queue.unit')), picker)),
    body);

  if (!unitId) {
    mount(body, h('p', { class: 'muted empty' }, t('queue.chooseUnit')));
    return;
  }
  const q = new URLSearchParams({ status, limit: String(PAGE_SIZE), offset: String(page * PAGE_SIZE) });
  const data = await loadInto(body, ctx, `/units/${unitId}/tasks?${q}`);
  if (!data) return;

  const counts = data.counts ?? {};
  // A department head's first look goes to what waits for their decision, when anything does.
  if (!query.get('status') && getIdentity().role === 'department_head' && (counts.awaiting_decision ?? 0) > 0) {
    location.replace(queueHash(unitId, 'awaiting_decision', 0));
    return;
  }
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('queue.tabs') },
    STATUSES.map((s) => h('button', {
      type: 'button', role: 'tab', id: `tab-${s}`, class: `tab tab-${s}${counts[s] ? ' has-items' : ''}`,
      'aria-selected': String(s === status), 'aria-controls': 'queue-panel', tabindex: s === status ? '0' : '-1',
      onclick: () => { focusTab = true; location.hash = queueHash(unitId, s, 0); },
    }, t(`queue.tab.${s}`), h('span', { class: 'tab-count' }, String(counts[s] ?? 0)))));
  tabs.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = STATUSES.indexOf(status) + (e.key === 'ArrowRight' ? 1 : -1);
    const next = STATUSES[(i + STATUSES.length) % STATUSES.length];
    focusTab = true;
    location.hash = queueHash(unitId, next, 0);
  });

  const open = (item) => {
    // Whoever opens a task from this queue works it for this unit: as its handler, unless they
    // already act for it (a department head stays a department head).
    if (canSwitchIdentity() && actingUnitId() !== unitId) {
      setIdentity({ role: 'handler', unitId });
      toast(t('acting.switched', { who: `${label('role', 'handler')} · ${unitName(unitId)}` }));
    }
    location.hash = `#/petition/${item.petitionId}`;
  };

  const total = counts[status] ?? data.items.length;
  const rows = data.items.map((item) => {
    const left = status === 'done' ? null : taskTimeLeft(item.petitionState, item.msLeft);
    return h('tr', { class: `row-link${left?.overdue ? ' is-overdue' : ''}`, onclick: (e) => { if (e.target.closest('a')) return; open(item); } },
      h('td', null, h('a', {
        href: `#/petition/${item.petitionId}`, class: 'mono',
        onclick: (e) => { e.preventDefault(); open(item); },
      }, item.trackingNo)),
      h('td', { class: 'cell-title' }, item.title),
      h('td', null, urgencyTag(item.urgency)),
      h('td', null, label('taskRole', item.role)),
      h('td', null, stateBadge(item.petitionState)),
      h('td', { class: 'nowrap' }, formatTime(item.dueAt)),
      h('td', { class: `nowrap ${left?.overdue ? 'overdue' : 'time-left'}` }, left ? left.text : t('common.none')));
  });

  const from = data.items.length ? page * PAGE_SIZE + 1 : 0;
  const to = page * PAGE_SIZE + data.items.length;
  const pager = h('nav', { class: 'pager', 'aria-label': t('queue.pager') },
    h('span', { class: 'muted' }, t('queue.range', { from, to, total })),
    h('button', { type: 'button', class: 'btn btn-small', disabled: page === 0, onclick: () => { location.hash = queueHash(unitId, status, page - 1); } }, t('queue.prev')),
    h('button', { type: 'button', class: 'btn btn-small', disabled: to >= total || data.items.length < PAGE_SIZE, onclick: () => { location.hash = queueHash(unitId, status, page + 1); } }, t('queue.next')));

  mount(body,
    tabs,
    h('div', { class: 'card tab-panel', id: 'queue-panel', role: 'tabpanel', 'aria-labelledby': `tab-${status}` },
      rows.length === 0
        ? h('p', { class: 'muted empty' }, t('queue.empty'))
        : h('div', { class: 'table-wrap' }, h('table', { class: 'table queue-table' },
          h('caption', { class: 'sr-only' }, `${unitName(unitId)} · ${t(`queue.tab.${status}`)}`),
          tableHead(['queue.trackingNo', 'queue.title', 'queue.urgency', 'queue.role', 'queue.state', 'queue.due', 'queue.left']),
          h('tbody', null, rows))),
      canSwitchIdentity() ? h('p', { class: 'hint' }, t('queue.openHint')) : null,
      total > PAGE_SIZE || page > 0 ? pager : null));

  // Keep keyboard focus on the selected tab after a tab switch.
  if (focusTab) {
    focusTab = false;
    root.querySelector(`#tab-${status}`)?.focus();
  }
}
