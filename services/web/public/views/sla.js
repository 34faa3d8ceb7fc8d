// 时限标准: the SLA policies (GET /sla-policies) by urgency, each default followed by its category
// overrides; administrators edit them (PUT /sla-policies, DELETE /sla-policies/:categoryId/:urgency).
// Below, a preview (GET /deadlines/preview) of the deadlines from a chosen moment with the rules in force.
import { h, mount, options, toast } from '../lib/dom.js';
import { label, t } from '../i18n.js';
import { api } from '../lib/api.js';
import { categoryName } from '../lib/reference.js';
import { beijingInputValue, durationText, formatSpan, formatTime, formatTimeWithWeekday, fromBeijingInput, percentOf } from '../lib/format.js';
import { isAdmin } from '../lib/identity.js';
import { confirmDelete, readOnlyHint } from '../lib/admin.js';
import { inKindOrder } from '../lib/deadlines.js';
import {
  categoryOptions, clearFieldErrors, errorBanner, field, focusFirstError, loadInto, setFieldError, showSaveError, tableHead, urgencyTag,
} from '../lib/ui.js';

const URGENCIES = ['emergency', 'utilities', 'normal', 'complex'];
const UNITS = ['minutes', 'hours', 'calendar_days', 'working_hours', 'working_days'];
const DURATIONS = ['signFor', 'handling', 'feedback'];

/** What the edit form and the preview hold across re-renders (language or identity switch, after a save). */
const state = {
  edit: null, // { categoryId: string|null, urgency } being edited
  values: null, // the form's current values
  preview: { urgency: 'normal', categoryId: '', from: '' },
};

const scopeName = (p) => (p.category ? categoryName(p.category.id, p.category.name) : t('sla.default'));
const sameScope = (p, categoryId, urgency) => (p.category?.id ?? null) === categoryId && p.urgency === urgency;

export async function renderSla(root, ctx) {
  const body = h('div');
  mount(root,
    h('div', { class: 'page-head' },
      h('h1', { tabindex: '-1' }, t('sla.heading')),
      h('p', { class: 'lead' }, t('sla.lead'))),
    body);
  const policies = await loadInto(body, ctx, '/sla-policies');
  if (!policies) return;

  const admin = isAdmin();
  const reload = () => renderSla(root, ctx);
  const preview = previewCard();
  const form = admin ? policyForm(policies, reload) : null;
  const edit = (p) => {
    if (!form) return;
    form.load(p.category?.id ?? null, p.urgency);
    form.el.querySelector('#sla-signFor-amount')?.focus();
  };

  mount(body,
    h('div', { class: 'detail-columns admin-columns' },
      h('div', { class: 'col-main' },
        h('section', { class: 'card', 'aria-labelledby': 'sec-policies' },
          h('h2', { id: 'sec-policies' }, t('sla.table')),
          policyTable(policies, admin ? { edit, remove: (p) => removePolicy(p, reload) } : null),
          h('p', { class: 'hint' }, t('time.applies'))),
        preview.el),
      h('div', { class: 'col-side' },
        h('section', { class: 'card', 'aria-labelledby': 'sec-policy-form' },
          h('h2', { id: 'sec-policy-form' }, t('sla.formTitle')),
          readOnlyHint(),
          form ? form.el : h('p', { class: 'hint' }, t('time.applies'))))));
  void preview.run();
}

function policyTable(policies, actions) {
  const rows = [];
  for (const urgency of URGENCIES) {
    const group = policies.filter((p) => p.urgency === urgency);
    group.sort((a, b) => Number(a.category !== null) - Number(b.category !== null) || scopeName(a).localeCompare(scopeName(b)));
    group.forEach((p, i) => {
      rows.push(h('tr', { class: p.category ? 'sla-override' : `sla-default${i === 0 ? ' group-start' : ''}`, 'data-urgency': urgency, 'data-category': p.category?.id ?? 'default' },
        h('td', null, p.category ? null : urgencyTag(urgency)),
        h('td', { class: 'sla-scope' },
          h('div', null, p.category ? h('span', { class: 'override-mark', 'aria-hidden': 'true' }, '↳ ') : null, scopeName(p)),
          h('div', { class: 'small muted' }, t('sla.updated', { who: p.updatedByName ?? p.updatedBy ?? t('common.none'), at: formatTime(p.updatedAt) }))),
        h('td', { class: 'nowrap' }, durationText(p.signFor)),
        h('td', { class: 'nowrap' }, durationText(p.handling)),
        h('td', { class: 'nowrap' }, durationText(p.feedback)),
        h('td', { class: 'nowrap' }, t('sla.reminderAt', { p: percentOf(p.reminderShare) })),
        actions ? h('td', { class: 'nowrap' },
          h('button', { type: 'button', class: 'btn btn-small', onclick: () => actions.edit(p) }, t('sla.edit')),
          p.category ? [' ', h('button', { type: 'button', class: 'btn btn-small btn-danger', onclick: () => void actions.remove(p) }, t('sla.delete'))] : null) : null));
    });
  }
  const cols = ['sla.urgency', 'sla.col.scope', 'sla.col.signFor', 'sla.col.handling', 'sla.col.feedback', 'sla.col.reminder', ...(actions ? ['sla.col.actions'] : [])];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table sla-table' },
    tableHead(cols),
    h('tbody', null, rows)));
}

function removePolicy(p, reload) {
  const what = { scope: scopeName(p), urgency: label('urgency', p.urgency) };
  return confirmDelete({
    question: t('sla.confirmDelete', what),
    path: `/sla-policies/${p.category.id}/${p.urgency}`,
    deleted: t('sla.deleted', what),
    onDeleted: () => { if (state.edit && sameScope(p, state.edit.categoryId, state.edit.urgency)) state.values = null; },
  }, reload);
}

// ---------------------------------------------------------------------------------------------
// Edit form

function valuesOf(p) {
  return {
    signFor: { ...p.signFor }, handling: { ...p.handling }, feedback: { ...p.feedback }, share: String(percentOf(p.reminderShare)),
  };
}

function policyForm(policies, reload) {
  const find = (categoryId, urgency) => policies.find((p) => sameScope(p, categoryId, urgency)) ?? null;
  const fallback = (urgency) => find(null, urgency) ?? { signFor: { amount: 1, unit: 'working_days' }, handling: { amount: 5, unit: 'working_days' }, feedback: { amount: 1, unit: 'working_days' }, reminderShare: 0.75 };

  state.edit ??= { categoryId: null, urgency: 'normal' };
  state.values ??= valuesOf(find(state.edit.categoryId, state.edit.urgency) ?? fallback(state.edit.urgency));

  const status = h('div', { class: 'action-status', 'aria-live': 'polite' });
  const scope = h('select', { id: 'sla-scope' }, categoryOptions(state.edit.categoryId, t('sla.default')));
  const urgency = h('select', { id: 'sla-urgency' }, options(URGENCIES.map((u) => ({ value: u, label: label('urgency', u) })), state.edit.urgency));
  const scopeNote = h('p', { class: 'sla-scope-note', 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('sla.save'));
  const del = h('button', { type: 'button', class: 'btn btn-danger' }, t('sla.deleteOwn'));

  const amounts = {};
  const units = {};
  const durationField = (key) => {
    amounts[key] = h('input', {
      id: `sla-${key}-amount`, type: 'number', min: '0', step: 'any', inputmode: 'decimal', class: 'amount-input',
      value: String(state.values[key].amount), 'aria-label': `${t(`sla.${key}`)} · ${t('sla.amount')}`,
      oninput: (e) => { state.values[key].amount = e.target.value; },
    });
    units[key] = h('select', {
      id: `sla-${key}-unit`, class: 'unit-select', 'aria-label': `${t(`sla.${key}`)} · ${t('sla.unit')}`,
      onchange: (e) => { state.values[key].unit = e.target.value; },
    }, options(UNITS.map((u) => ({ value: u, label: t(`unit.${u}`) })), state.values[key].unit));
    const errId = `sla-${key}-amount-error`;
    amounts[key].setAttribute('aria-describedby', errId);
    return h('fieldset', { class: 'field duration-field', 'data-field-wrap': `sla-${key}-amount` },
      h('legend', null, t(`sla.${key}`)),
      h('div', { class: 'duration-inputs' }, amounts[key], units[key]),
      h('p', { class: 'field-error', id: errId, hidden: true }),
      // The API names `handling.unit` for a bad unit: the same slot shows it.
      h('p', { class: 'field-error', id: `sla-${key}-unit-error`, hidden: true }));
  };
  const share = h('input', {
    id: 'sla-share', type: 'number', min: '5', max: '95', step: '1', inputmode: 'decimal', class: 'amount-input', value: state.values.share,
    oninput: (e) => { state.values.share = e.target.value; },
  });

  const fill = (v) => {
    for (const k of DURATIONS) {
      amounts[k].value = String(v[k].amount);
      units[k].value = v[k].unit;
    }
    share.value = v.share;
  };
  const describe = () => {
    const { categoryId, urgency: u } = state.edit;
    const own = categoryId ? find(categoryId, u) : null;
    scopeNote.textContent = categoryId === null ? t('sla.editingDefault') : own ? t('sla.hasOwn') : t('sla.usesDefault');
    scopeNote.className = `sla-scope-note${categoryId === null ? ' is-default' : ''}`;
    del.hidden = !own;
  };
  /** Switch the form to a scope: its own policy if it has one, else what it uses now (the default). */
  const load = (categoryId, u) => {
    state.edit = { categoryId, urgency: u };
    scope.value = categoryId ?? '';
    urgency.value = u;
    state.values = valuesOf(find(categoryId, u) ?? fallback(u));
    fill(state.values);
    clearFieldErrors(form);
    mount(status);
    describe();
  };
  scope.addEventListener('change', () => load(scope.value || null, state.edit.urgency));
  urgency.addEventListener('change', () => load(state.edit.categoryId, urgency.value));
  del.addEventListener('click', () => {
    const own = state.edit.categoryId ? find(state.edit.categoryId, state.edit.urgency) : null;
    if (own) void removePolicy(own, reload);
  });

  const form = h('form', {
    class: 'sla-form', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      clearFieldErrors(form);
      mount(status);
      let bad = false;
      const body = { categoryId: state.edit.categoryId, urgency: state.edit.urgency };
      for (const k of DURATIONS) {
        const n = Number(amounts[k].value);
        if (amounts[k].value.trim() === '' || !Number.isFinite(n) || n <= 0) { setFieldError(form, `sla-${k}-amount`, t('sla.amountInvalid')); bad = true; }
        body[k] = { amount: n, unit: units[k].value };
      }
      const p = Number(share.value);
      if (share.value.trim() === '' || !(p >= 5 && p <= 95)) { setFieldError(form, 'sla-share', t('sla.shareInvalid')); bad = true; }
      body.reminderShare = Math.round(p * 10) / 1000;
      if (bad) { focusFirstError(form); return; }
      save.disabled = true;
      try {
        const { data } = await api('/sla-policies', { method: 'PUT', body });
        state.values = valuesOf(data);
        toast(t('sla.saved', { scope: scopeName(data), urgency: label('urgency', data.urgency) }), 'success');
        // The reloaded page runs the preview again with the new rules.
        await reload();
      } catch (err) {
        save.disabled = false;
        showSaveError(form, status, err, fieldTarget);
      }
    },
  },
  field({ id: 'sla-scope', label: t('sla.scope'), control: scope }),
  field({ id: 'sla-urgency', label: t('sla.urgency'), control: urgency }),
  scopeNote,
  DURATIONS.map(durationField),
  field({ id: 'sla-share', label: t('sla.reminderShare'), control: h('div', { class: 'duration-inputs' }, share, h('span', { class: 'unit-suffix' }, '%')), hint: t('sla.reminderHint') }),
  h('div', { class: 'actions-row' }, save, del),
  status);
  describe();
  return { el: form, load };
}

/** API field → form control id: `handling.amount` → sla-handling-amount, `categoryId` → sla-scope. */
function fieldTarget(apiField) {
  const m = /^(signFor|handling|feedback)\.(amount|unit)$/.exec(apiField);
  if (m) return `sla-${m[1]}-${m[2]}`;
  return { categoryId: 'sla-scope', urgency: 'sla-urgency', reminderShare: 'sla-share' }[apiField] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Preview

function previewCard() {
  const pv = state.preview;
  if (!pv.from) pv.from = beijingInputValue();
  const result = h('div', { class: 'preview-result', 'aria-live': 'polite' });
  const urgency = h('select', { id: 'pv-urgency', onchange: (e) => { pv.urgency = e.target.value; void run(); } },
    options(URGENCIES.map((u) => ({ value: u, label: label('urgency', u) })), pv.urgency));
  const category = h('select', { id: 'pv-category', onchange: (e) => { pv.categoryId = e.target.value; void run(); } },
    categoryOptions(pv.categoryId, t('preview.anyCategory')));
  const from = h('input', { id: 'pv-from', type: 'datetime-local', value: pv.from, onchange: (e) => { pv.from = e.target.value; void run(); } });
  let seq = 0;

  async function run() {
    const mine = ++seq;
    const at = fromBeijingInput(pv.from);
    if (!at) {
      mount(result, h('p', { class: 'field-error' }, t('preview.fromInvalid')));
      return;
    }
    const q = new URLSearchParams({ urgency: pv.urgency, from: at.toISOString() });
    if (pv.categoryId) q.set('categoryId', pv.categoryId);
    try {
      const { data } = await api(`/deadlines/preview?${q}`);
      if (mine !== seq) return;
      mount(result, previewTable(data));
    } catch (err) {
      if (mine === seq) mount(result, errorBanner(err));
    }
  }

  const el = h('section', { class: 'card', 'aria-labelledby': 'sec-preview' },
    h('h2', { id: 'sec-preview' }, t('preview.heading')),
    h('p', { class: 'hint preview-lead' }, t('preview.lead')),
    h('form', { class: 'preview-form', onsubmit: (e) => { e.preventDefault(); void run(); } },
      field({ id: 'pv-from', label: t('preview.from'), control: from }),
      field({ id: 'pv-urgency', label: t('preview.urgency'), control: urgency }),
      field({ id: 'pv-category', label: t('preview.category'), control: category }),
      h('div', { class: 'field preview-submit' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('preview.run')))),
    result);
  return { el, run };
}

function previewTable(data) {
  const from = new Date(data.from).getTime();
  const items = inKindOrder(data.deadlines);
  return h('div', null,
    h('p', { class: 'preview-source' },
      h('strong', null, t(`preview.source.${data.policySource}`)), t('preview.sourceSep'),
      t('preview.policy', {
        signFor: durationText(data.policy.signFor), handling: durationText(data.policy.handling),
        feedback: durationText(data.policy.feedback), share: percentOf(data.policy.reminderShare),
      })),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table preview-table' },
      tableHead(['deadline.col.kind', 'deadline.col.due', 'preview.col.after', 'deadline.col.basis']),
      h('tbody', null, items.map((d) => h('tr', { 'data-kind': d.kind },
        h('th', { scope: 'row' }, t(`deadline.kind.${d.kind}`)),
        h('td', { class: 'nowrap' }, h('time', { datetime: d.dueAt }, formatTimeWithWeekday(d.dueAt))),
        h('td', { class: 'nowrap' }, formatSpan(new Date(d.dueAt).getTime() - from)),
        h('td', { class: 'nowrap muted' }, t(`deadline.basis.${d.basis}`))))))));
}
