// Small shared pieces: badges, banners, the loading line, table heads, form fields and radio groups,
// inline field errors, unit and category pickers, the "recent petitions" list.
import { h, mount, options } from './dom.js';
import { getLang, label, t } from '../i18n.js';
import { api, ApiError, errorDetail, errorText, errorWithDetail } from './api.js';
import { categoryGroups, displayName, workingUnitGroups } from './reference.js';

export function stateBadge(state) {
  return h('span', { class: `badge badge-state state-${state}` }, label('state', state));
}

export function outcomeBadge(outcome) {
  if (!outcome) return null;
  return h('span', { class: `badge badge-outcome outcome-${outcome}` }, label('outcome', outcome));
}

export function urgencyTag(urgency) {
  return h('span', { class: `tag urgency-${urgency}` }, label('urgency', urgency));
}

/** An alert banner for an error: `text` (the translated error by default), plus the API's own message when different. */
export function errorBanner(err, title = t('error.banner'), text = errorText(err)) {
  return h('div', { class: 'banner banner-error', role: 'alert', 'data-code': err instanceof ApiError ? err.code : null },
    h('strong', null, title),
    h('p', null, text),
    errorDetailBlock(err, errorDetail(err, text)));
}

/**
 * The API's own message (English) under a translated error, or null when it adds nothing. In the
 * Chinese UI it stays folded away under 技术信息 with the error code, never inside a Chinese sentence.
 */
export function errorDetailBlock(err, message = errorDetail(err)) {
  if (!message) return null;
  if (getLang() === 'en') return h('p', { class: 'banner-detail' }, t('error.detail', { message }));
  return h('details', { class: 'banner-detail' },
    h('summary', null, t('error.technical')),
    h('p', null, err instanceof ApiError ? `${t('error.code', { code: err.code })} · ` : '', h('span', { lang: 'en' }, message)));
}

export function infoBanner(text, kind = 'info') {
  return h('div', { class: `banner banner-${kind}`, role: 'status' }, text);
}

/** The spinner line shown while something loads. */
export function loadingLine(text = t('app.loading')) {
  return h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

/**
 * GET `path` for a view: the loading line in `slot` meanwhile, the error there when it fails
 * (as `onError(err)` makes it: errorBanner by default). The data, or null when it failed or the
 * view was left meanwhile.
 */
export async function loadInto(slot, ctx, path, onError = errorBanner) {
  mount(slot, loadingLine());
  try {
    const { data } = await api(path);
    return ctx.alive() ? data : null;
  } catch (err) {
    if (ctx.alive()) mount(slot, onError(err));
    return null;
  }
}

/** <thead> with one column header per i18n key, or per { key, num } (num: a right-aligned number column). */
export function tableHead(cols) {
  return h('thead', null, h('tr', null, cols.map((c) => {
    const col = typeof c === 'string' ? { key: c } : c;
    return h('th', { scope: 'col', class: col.num ? 'num' : null }, t(col.key));
  })));
}

/** The " *" of a required field or the （选填） of an optional one. */
function marks(required, optional) {
  return [
    required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
    optional ? h('span', { class: 'optional' }, t('common.optional')) : null,
  ];
}

/** A form field wrapper: label, control, hint and an error slot tied with aria-describedby. */
export function field({ id, label: text, control, hint, required, optional, wide }) {
  const errId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  // The control itself, or the input inside a wrapper (an amount with its unit, a lookup with its button).
  const input = control.matches('input, select, textarea') ? control : control.querySelector('input, select, textarea') ?? control;
  input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  if (required) input.setAttribute('aria-required', 'true');
  return h('div', { class: `field${wide ? ' field-wide' : ''}`, 'data-field-wrap': id },
    h('label', { for: id }, text, marks(required, optional)),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errId, hidden: true }));
}

/**
 * Radio buttons in a fieldset with the error slot setFieldError() fills: items [{ value, label }];
 * `onpick(value)` when one is chosen; `inputAttrs` go on every button.
 */
export function radioGroup({ id, name = id, legend, items, checked, onpick, required, optional, inputAttrs }) {
  return h('fieldset', { class: 'field radio-group', id, 'aria-describedby': `${id}-error`, 'aria-required': required ? 'true' : null },
    h('legend', null, legend, marks(required, optional)),
    h('div', { class: 'radios' }, items.map((it) => h('label', { class: 'radio' },
      h('input', { type: 'radio', name, value: it.value, checked: it.value === checked, ...inputAttrs, onchange: onpick && (() => onpick(it.value)) }),
      h('span', null, it.label)))),
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
}

/** Show `message` under the control with id `id`; returns false when no such field exists. */
export function setFieldError(form, id, message) {
  const slot = form.querySelector(`#${CSS.escape(`${id}-error`)}`);
  const control = form.querySelector(`#${CSS.escape(id)}`);
  if (!slot) return false;
  slot.textContent = message;
  slot.hidden = false;
  slot.closest('.field, fieldset')?.classList.add('has-error');
  control?.setAttribute('aria-invalid', 'true');
  return true;
}

export function clearFieldErrors(form) {
  for (const slot of form.querySelectorAll('.field-error')) {
    slot.textContent = '';
    slot.hidden = true;
  }
  for (const el of form.querySelectorAll('.has-error')) el.classList.remove('has-error');
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** Focus the first field showing an error. */
export function focusFirstError(form) {
  const wrap = form.querySelector('.has-error');
  const control = wrap?.querySelector('input:not([type=hidden]), select, textarea');
  control?.focus();
}

/**
 * A failed save: under the control `targetOf(err.field)` names (focused), when the API named a
 * field we show; else as a banner in `status` (titled `title`). `message(target)` words the field's
 * error (the error with the API's detail by default). Returns the control id it went to, or null.
 */
export function showSaveError(form, status, err, targetOf, { title, message = () => errorWithDetail(err) } = {}) {
  const target = err instanceof ApiError && err.field ? targetOf(err.field) : null;
  if (target && setFieldError(form, target, message(target))) {
    focusFirstError(form);
    return target;
  }
  mount(status, errorBanner(err, title));
  return null;
}

/** <optgroup>s of the units that work tasks (grouped by district), `selected` chosen. */
export function unitOptgroups(selected, groups = workingUnitGroups()) {
  return groups.map((g) => h('optgroup', { label: g.label }, options(g.units.map((u) => ({ value: u.id, label: displayName(u) })), selected)));
}

/** <option>s of the category picker: `placeholder` first, then the leaves under their top-level category. */
export function categoryOptions(selected, placeholder) {
  return [
    h('option', { value: '', selected: !selected }, placeholder),
    categoryGroups().map((g) => h('optgroup', { label: displayName(g.parent) },
      g.leaves.map((l) => h('option', { value: l.cat.id, selected: l.cat.id === selected }, l.label)))),
  ];
}

// Petitions registered in this browser (the API has no list endpoint yet).
const RECENT_KEY = 'petitions.recent';
function recentPetitions() {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}
export function rememberPetition(entry) {
  const list = recentPetitions().filter((x) => x.id !== entry.id);
  list.unshift(entry);
  try { localStorage.setItem(RECENT_KEY, JSON.stringify(list.slice(0, 30))); } catch { /* ignore */ }
}
