// Small shared pieces: badges, error banners, inline field errors, the "recent petitions" list.
import { h } from './dom.js';
import { label, t } from '../i18n.js';
import { errorDetail, errorText } from './api.js';

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

/** An alert banner for an error (translated text, plus the API's own message when different). */
export function errorBanner(err, title = t('error.banner')) {
  const detail = errorDetail(err);
  return h('div', { class: 'banner banner-error', role: 'alert' },
    h('strong', null, title),
    h('p', null, errorText(err)),
    detail ? h('p', { class: 'banner-detail' }, t('error.detail', { message: detail })) : null);
}

export function infoBanner(text, kind = 'info') {
  return h('div', { class: `banner banner-${kind}`, role: 'status' }, text);
}

/** A form field wrapper: label, control, hint and an error slot tied with aria-describedby. */
export function field({ id, label: text, control, hint, required, optional, wide }) {
  const errId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  control.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  if (required) control.setAttribute('aria-required', 'true');
  return h('div', { class: `field${wide ? ' field-wide' : ''}`, 'data-field-wrap': id },
    h('label', { for: id }, text, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
      optional ? h('span', { class: 'optional' }, t('common.optional')) : null),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errId, hidden: true }));
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

// Petitions registered in this browser (the API has no list endpoint yet).
const RECENT_KEY = 'petitions.recent';
export function recentPetitions() {
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
export function forgetRecent() {
  try { localStorage.removeItem(RECENT_KEY); } catch { /* ignore */ }
}
