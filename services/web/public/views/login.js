// 登录: username and password; on success the app goes on to `next` (or the person's start page).
import { h, mount } from '../lib/dom.js';
import { getLang, t } from '../i18n.js';
import { ApiError, errorText } from '../lib/api.js';
import { signIn } from '../lib/auth.js';
import { devIdentityAllowed } from '../lib/identity.js';

/** The message for a failed sign-in, in the UI's language. */
export function signInErrorText(err) {
  if (err instanceof ApiError) {
    if (err.code === 'INVALID_CREDENTIALS') return t('login.invalid');
    if (err.code === 'ACCOUNT_LOCKED') {
      const secs = Number(err.body?.retryAfterSeconds);
      const until = new Date(Date.now() + (Number.isFinite(secs) && secs > 0 ? secs : 60) * 1000);
      const time = until.toLocaleTimeString(getLang() === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
      return t('login.locked', { time });
    }
    if (err.code === 'NETWORK') return t('error.network');
    if (err.status === 429) return t('login.tooMany');
  }
  return errorText(err);
}

/**
 * @param {HTMLElement} root
 * @param {{ alive: () => boolean }} ctx
 * @param {URLSearchParams} query
 * @param {{ onSignedIn: (next: string | null) => void | Promise<void> }} opts
 */
export function renderLogin(root, ctx, query, { onSignedIn }) {
  const next = query.get('next');
  const username = h('input', { id: 'login-username', name: 'username', type: 'text', autocomplete: 'username', autocapitalize: 'off', spellcheck: 'false', maxlength: '64' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', maxlength: '256' });
  const error = h('p', { class: 'login-error', id: 'login-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'login-submit' }, t('login.submit'));
  const showError = (text) => {
    error.textContent = text;
    error.hidden = false;
  };

  const form = h('form', {
    class: 'card login-card', novalidate: true, 'aria-labelledby': 'login-heading',
    onsubmit: async (e) => {
      e.preventDefault();
      error.hidden = true;
      const u = username.value.trim();
      if (!u || !password.value) {
        showError(t('login.missing'));
        (u ? password : username).focus();
        return;
      }
      submit.disabled = true;
      submit.textContent = t('login.submitting');
      try {
        await signIn(u, password.value);
      } catch (err) {
        if (!ctx.alive()) return;
        submit.disabled = false;
        submit.textContent = t('login.submit');
        showError(signInErrorText(err));
        password.select();
        password.focus();
        return;
      }
      password.value = '';
      await onSignedIn(next);
    },
  },
  h('h1', { id: 'login-heading', tabindex: '-1' }, t('login.heading')),
  h('p', { class: 'lead' }, t('login.lead')),
  h('div', { class: 'field' }, h('label', { for: 'login-username' }, t('login.username')), username),
  h('div', { class: 'field' }, h('label', { for: 'login-password' }, t('login.password')), password),
  error,
  h('div', { class: 'form-actions' }, submit),
  devIdentityAllowed() ? h('p', { class: 'login-alt muted' }, t('login.orDemo'), ' ', h('a', { href: next ? `#${next}` : '#/' }, t('login.useDemo'))) : null);

  mount(root, h('div', { class: 'login-page' }, form));
  username.focus();
}
