// fetch() wrapper: same-origin by default, identity headers on every call (the access token when
// signed in), one token refresh on 401 TOKEN_EXPIRED, errors as ApiError. api() reads JSON,
// downloadFile() a file (CSV, XLSX) it saves; both go through request().
import { clearSession, getSession, identityHeaders, setSession } from './identity.js';
import { t, has, getLang } from '../i18n.js';

/** Base URL of the API; '' = same origin (the API serves this folder). Override with window.PETITIONS_API_BASE. */
export const API_BASE = typeof window.PETITIONS_API_BASE === 'string' ? window.PETITIONS_API_BASE : '';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code ?? `HTTP_${status}`;
    this.field = body?.field ?? null;
    this.state = body?.state ?? null;
    this.body = body;
  }
}

/** fetch(), with a network failure as ApiError status 0. */
async function fetchOrFail(path, init) {
  try {
    return await fetch(API_BASE + path, init);
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: t('error.network') });
  }
}

/** A body as JSON (null when empty; a text that is not JSON as { message }). */
async function readJson(res) {
  const text = await res.text().catch(() => '');
  if (!text) return null;
  try { return JSON.parse(text); } catch { return { message: text }; }
}

let refreshing = null;

/** Exchange the refresh token once (concurrent callers share the attempt). True when it worked. */
function refreshTokens() {
  refreshing ??= (async () => {
    const s = getSession();
    if (!s) return false;
    try {
      const res = await fetchOrFail('/auth/refresh', {
        method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken: s.refreshToken }),
      });
      const data = await readJson(res);
      if (!res.ok || !data?.accessToken) return false;
      setSession(data);
      return true;
    } catch {
      return false;
    }
  })().finally(() => { refreshing = null; });
  return refreshing;
}

/** The session is gone or the server wants a sign-in: forget the tokens and ask the app to show 登录. */
function signInRequired(err) {
  clearSession();
  window.dispatchEvent(new CustomEvent('signinrequired', { detail: { code: err.code } }));
}

/**
 * One request under the session's rules: identity headers (none when `anonymous`), one token
 * refresh on 401 TOKEN_EXPIRED, ApiError for non-2xx (a 401 asks for a sign-in unless anonymous).
 * Returns the Response with its body unread.
 */
async function request(path, { method = 'GET', accept, body, idempotencyKey, anonymous = false }) {
  const init = () => {
    const headers = { Accept: accept, ...(anonymous ? {} : identityHeaders()) };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    return { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  };
  const hadSession = !anonymous && !!getSession();
  let res = await fetchOrFail(path, init());
  if (res.ok) return res;
  let data = await readJson(res);
  if (res.status === 401 && hadSession && data?.code === 'TOKEN_EXPIRED' && await refreshTokens()) {
    res = await fetchOrFail(path, init());
    if (res.ok) return res;
    data = await readJson(res);
  }
  const err = new ApiError(res.status, data && typeof data === 'object' ? data : { message: res.statusText });
  if (res.status === 401 && !anonymous) signInRequired(err);
  throw err;
}

/**
 * Call the API. Returns { status, data }; throws ApiError for non-2xx (status 0 = network failure).
 * `anonymous`: send no identity and leave a 401 to the caller (sign-in itself).
 * @param {string} path
 * @param {{ method?: string, body?: unknown, idempotencyKey?: string, anonymous?: boolean }} [opts]
 */
export async function api(path, opts = {}) {
  const res = await request(path, { ...opts, accept: 'application/json' });
  return { status: res.status, data: await readJson(res) };
}

/** The file name a Content-Disposition header gives: filename* (UTF-8, the Chinese title) first, then filename. */
export function dispositionFileName(header) {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try { return decodeURIComponent(star[1].trim()); } catch { /* fall through to filename */ }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(header);
  const name = plain ? (plain[1] ?? plain[2]).trim() : '';
  return name || null;
}

/** Hand a blob to the browser as a download named `name` (an object URL and a temporary <a download>). */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * GET `path` as a file and save it: the same identity headers, token refresh and errors as api();
 * the name from the server's Content-Disposition, else `fallbackName`. Returns the name saved as.
 * @param {string} path
 * @param {string} [fallbackName]
 */
export async function downloadFile(path, fallbackName = 'download') {
  const res = await request(path, { accept: '*/*' });
  const blob = await res.blob();
  const name = dispositionFileName(res.headers.get('content-disposition')) ?? fallbackName;
  saveBlob(blob, name);
  return name;
}

/** The translation key for an error's code, when we have one (a refusal worded for a signed-in account). */
function codeKey(err) {
  if (err.code === 'ROLE_NOT_ALLOWED' && getSession()) return 'apiError.ROLE_NOT_ALLOWED_ACCOUNT';
  const key = `apiError.${err.code}`;
  return has(key) ? key : null;
}

/** A general sentence for the HTTP status, for a code we have no words for (Chinese UI). */
function statusText(status) {
  if (status === 0) return t('error.network');
  if (status >= 500) return t('error.status.5xx');
  if ([400, 403, 404, 409, 429].includes(status)) return t(`error.status.${status}`);
  return t('error.status.other', { status });
}

/**
 * A readable message for an error: the translation of the API code when we have one. In Chinese
 * never the API's English message (errorDetail() gives it to show apart); in English the API's
 * message where it says more than our words (a field's error, a code we do not know).
 */
export function errorText(err) {
  if (!(err instanceof ApiError)) return String(err?.message ?? err);
  const key = codeKey(err);
  if (getLang() === 'zh-CN') return key ? t(key) : statusText(err.status);
  if (key && !['MISSING_FIELD', 'INVALID_FIELD', 'UNKNOWN_FIELD'].includes(err.code)) return t(key);
  return err.message;
}

/** The API's own message, when it adds something to `main` (errorText() by default). */
export function errorDetail(err, main = errorText(err)) {
  if (!(err instanceof ApiError) || err.code === 'NETWORK') return null;
  return main === err.message ? null : err.message;
}

/** errorText() with the API's own message in brackets when it adds something (a field's error). */
export function errorWithDetail(err) {
  const detail = errorDetail(err);
  return detail ? `${errorText(err)} (${detail})` : errorText(err);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Poll GET /commands/:id after a 202 until the command is applied, ignored or rejected.
 * Returns the last answer (status may still be 'pending' when time runs out).
 */
export async function waitForCommand(commandId, { timeoutMs = 15000, intervalMs = 600 } = {}) {
  const until = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < until) {
    await sleep(intervalMs);
    try {
      last = (await api(`/commands/${encodeURIComponent(commandId)}`)).data;
      if (last.status !== 'pending') return last;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500 || err.status === 0) continue;
      throw err;
    }
  }
  return last ?? { commandId, status: 'pending' };
}

/** A fresh Idempotency-Key. crypto.randomUUID() needs a secure context (https or localhost), so fall back. */
export function newKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
