// A page of petitions waiting in one state for one desk (人工派单, 待回访): a tracking-number
// lookup and the list, longest-waiting first, since that is the end a queue is worked from.
import { h, mount } from '../lib/dom.js';
import { t } from '../i18n.js';
import { api } from '../lib/api.js';
import { formatTime } from '../lib/format.js';
import { trackingLookupForm } from '../lib/lookup.js';
import { areaName, categoryName } from '../lib/reference.js';
import { errorBanner, loadingLine, tableHead } from '../lib/ui.js';

/** 区 街道 in the UI's language (the list's names are the Chinese fallback). */
const areaOf = (p) => areaName({ id: p.districtId, name: p.district }, p.streetId ? { id: p.streetId, name: p.street } : null, ' ');

/**
 * @param page { id, heading, lead, listTitle, none, state, anonymousNote? }: i18n keys, the lookup's id and the
 *   state listed; `anonymousNote` marks petitions left without a contact
 */
export async function renderWaitingList(root, ctx, page) {
  const { form: lookup } = trackingLookupForm({ id: `${page.id}-no`, formClass: 'inline-form', errorClass: 'field-error' });
  const list = h('div', { class: 'recent-list', 'data-testid': `${page.id}-list` });
  mount(root,
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t(page.heading)), h('p', { class: 'lead' }, t(page.lead))),
    h('section', { class: 'card' }, lookup),
    h('section', { class: 'card', 'aria-labelledby': `${page.id}-title` },
      h('div', { class: 'card-head' },
        h('h2', { id: `${page.id}-title` }, t(page.listTitle)),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => { void renderWaitingList(root, ctx, page); } }, t('dispatch.clear'))),
      list));

  mount(list, loadingLine());
  let res;
  try {
    res = await api(`/petitions?state=${page.state}&order=oldest&limit=100`);
  } catch (err) {
    if (ctx.alive()) mount(list, errorBanner(err));
    return;
  }
  if (!ctx.alive()) return;
  const rows = res.data?.items ?? [];
  if (rows.length === 0) {
    mount(list, h('p', { class: 'muted empty' }, t(page.none)));
    return;
  }
  const more = res.data.total > rows.length ? h('p', { class: 'muted' }, t('waiting.more', { shown: rows.length, total: res.data.total })) : null;
  mount(list, h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    tableHead(['queue.trackingNo', 'queue.title', 'dispatch.category', 'dispatch.area', 'petition.createdAt']),
    h('tbody', null, rows.map((p) => h('tr', null,
      h('td', null, h('a', { class: 'mono', href: `#/petition/${p.id}` }, p.trackingNo)),
      h('td', { class: 'cell-title' }, p.title, page.anonymousNote && p.anonymous
        ? h('span', { class: 'muted', 'data-testid': 'anonymous-note' }, ` · ${t(page.anonymousNote)}`) : null),
      h('td', null, categoryName(p.categoryId, p.category)),
      h('td', null, areaOf(p)),
      h('td', { class: 'nowrap' }, formatTime(p.createdAt))))))), more);
}
