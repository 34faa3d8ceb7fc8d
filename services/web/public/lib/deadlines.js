// The petition's deadlines (时限): GET /petitions/:id → deadlines, one current entry per kind.
import { h } from './dom.js';
import { t } from '../i18n.js';
import { formatSpan, formatTimeWithWeekday, formatWorkingSpan } from './format.js';
import { tableHead } from './ui.js';

/** In the order they come up in a petition's life. */
const DEADLINE_KINDS = ['sign_for', 'handling_reminder', 'handling', 'handling_escalation', 'feedback'];

/** A copy of `list` (deadlines or previews of them) in that order. */
export function inKindOrder(list) {
  return list.slice().sort((a, b) => DEADLINE_KINDS.indexOf(a.kind) - DEADLINE_KINDS.indexOf(b.kind));
}

/** { text, tone, badge? } of one deadline: time left, overdue, suspended with the working time it keeps, or reached. */
export function deadlineStatus(d, now = Date.now()) {
  if (d.state === 'paused') {
    const left = d.remainingMs ?? 0;
    const span = d.basis === 'working' ? formatWorkingSpan(left) : formatSpan(left);
    return { text: t(d.basis === 'working' ? 'deadline.pausedLeft' : 'deadline.pausedLeftClock', { d: span }), tone: 'paused', badge: t('deadline.paused') };
  }
  if (d.state === 'fired') return { text: t('deadline.fired'), tone: 'fired' };
  const ms = new Date(d.dueAt).getTime() - now;
  if (ms < 0) return { text: t('deadline.overdue', { d: formatSpan(ms) }), tone: 'overdue' };
  return { text: t('deadline.left', { d: formatSpan(ms) }), tone: 'pending' };
}

/** Why a petition has no running deadline: not dispatched yet, finished, or between clocks. */
function noDeadlinesKey(state) {
  if (['intake', 'awaitingDispatch'].includes(state)) return 'deadline.none';
  if (['closed', 'merged'].includes(state)) return 'deadline.ended';
  return 'deadline.noneRunning';
}

/** The 时限 card; null when the API sent no deadlines field (an older API). */
export function deadlinesPanel(p) {
  if (!Array.isArray(p.deadlines)) return null;
  const list = inKindOrder(p.deadlines);
  const body = list.length === 0
    ? h('p', { class: 'muted' }, t(noDeadlinesKey(p.state)))
    : h('div', { class: 'table-wrap' }, h('table', { class: 'table deadline-table' },
      tableHead(['deadline.col.kind', 'deadline.col.due', 'deadline.col.status', 'deadline.col.basis']),
      h('tbody', null, list.map((d) => {
        const s = deadlineStatus(d);
        return h('tr', { class: `deadline-row deadline-${s.tone}`, 'data-kind': d.kind },
          h('th', { scope: 'row' }, t(`deadline.kind.${d.kind}`)),
          h('td', { class: 'nowrap' }, d.state === 'paused'
            // A suspended deadline gets a new date when work resumes; the stored one is history.
            ? h('span', { class: 'muted' }, t('deadline.wasDue', { at: formatTimeWithWeekday(d.dueAt) }))
            : h('time', { datetime: d.dueAt }, formatTimeWithWeekday(d.dueAt))),
          h('td', null,
            s.badge ? h('span', { class: 'tag status-paused-tag' }, s.badge) : null, s.badge ? ' ' : null,
            h('span', { class: `deadline-status status-${s.tone}` }, s.text)),
          h('td', { class: 'nowrap muted' }, t(`deadline.basis.${d.basis}`)));
      }))));
  return h('section', { class: 'card', 'aria-labelledby': 'sec-deadlines' },
    h('h2', { id: 'sec-deadlines' }, t('petition.deadlines')),
    body,
    list.some((d) => d.basis === 'working') ? h('p', { class: 'hint' }, t('deadline.note')) : null);
}
