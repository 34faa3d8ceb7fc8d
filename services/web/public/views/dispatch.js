// 人工派单: the petitions no routing rule matched (GET /petitions?state=awaitingDispatch), plus a
// tracking-number lookup; dispatching itself happens on the petition view.
import { h, mount } from '../lib/dom.js';
import { t } from '../i18n.js';
import { api } from '../lib/api.js';
import { formatTime } from '../lib/format.js';
import { trackingLookupForm } from '../lib/lookup.js';
import { loadingLine, tableHead } from '../lib/ui.js';

export async function renderDispatch(root, ctx) {
  const { form: lookup } = trackingLookupForm({ id: 'dispatch-no', formClass: 'inline-form', errorClass: 'field-error' });

  const list = h('div', { class: 'recent-list' });
  mount(root,
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('dispatch.heading')), h('p', { class: 'lead' }, t('dispatch.lead'))),
    h('section', { class: 'card' }, lookup),
    h('section', { class: 'card', 'aria-labelledby': 'sec-recent' },
      h('div', { class: 'card-head' },
        h('h2', { id: 'sec-recent' }, t('dispatch.recent')),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => { void renderDispatch(root, ctx); } }, t('dispatch.clear'))),
      list));

  mount(list, loadingLine());
  const res = await api('/petitions?state=awaitingDispatch&limit=100').catch(() => null);
  if (!ctx.alive()) return;
  const rows = res?.data?.items ?? [];
  if (rows.length === 0) {
    mount(list, h('p', { class: 'muted empty' }, t('dispatch.none')));
    return;
  }
  mount(list, h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    tableHead(['queue.trackingNo', 'queue.title', 'dispatch.category', 'dispatch.area', 'petition.createdAt']),
    h('tbody', null, rows.map((p) => h('tr', null,
      h('td', null, h('a', { class: 'mono', href: `#/petition/${p.id}` }, p.trackingNo)),
      h('td', { class: 'cell-title' }, p.title),
      h('td', null, p.category),
      h('td', null, p.street ? `${p.district} ${p.street}` : p.district),
      h('td', { class: 'nowrap' }, formatTime(p.createdAt))))))));
}
