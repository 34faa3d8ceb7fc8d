// Tracking number (受理编号) → petition view.
import { api, ApiError, errorText } from './api.js';
import { t } from '../i18n.js';
import { h } from './dom.js';

const TRACKING_NO = /^[0-9]{16,20}$/;

/** The petition with tracking number `raw` (spaces and dashes allowed): { data } or { problem: message }. */
export async function findByTrackingNumber(raw) {
  const no = String(raw ?? '').replace(/[\s-]/g, '');
  if (!TRACKING_NO.test(no)) return { problem: t('search.invalid') };
  try {
    return { data: (await api(`/petitions/by-tracking-number/${no}`)).data };
  } catch (err) {
    return { problem: err instanceof ApiError && err.status === 404 ? t('search.notFound', { no }) : errorText(err) };
  }
}

/** Look the number up and open the petition; returns an error message, or null when it navigated. */
export async function lookupTrackingNumber(raw) {
  const { data, problem } = await findByTrackingNumber(raw);
  if (!data) return problem;
  location.hash = `#/petition/${data.id}`;
  return null;
}

/**
 * A tracking-number search form (header and dispatch page): id, classes, and whether to clear
 * the input after a hit.
 */
export function trackingLookupForm({ id, formClass, errorClass, labelClass = null, buttonClass = 'btn', clearOnHit = false }) {
  const error = h('p', { id: `${id}-error`, class: errorClass, role: 'alert', hidden: true });
  const input = h('input', {
    id, type: 'search', inputmode: 'numeric', autocomplete: 'off',
    placeholder: t('search.placeholder'), 'aria-describedby': `${id}-error`,
    oninput: () => { error.hidden = true; },
  });
  const form = h('form', {
    class: formClass, role: 'search',
    onsubmit: async (e) => {
      e.preventDefault();
      error.hidden = true;
      const problem = await lookupTrackingNumber(input.value);
      if (problem) {
        error.textContent = problem;
        error.hidden = false;
      } else if (clearOnHit) {
        input.value = '';
      }
    },
  }, h('label', { for: id, class: labelClass }, t('search.label')), input, h('button', { type: 'submit', class: buttonClass }, t('search.button')), error);
  return { form, input, error };
}
