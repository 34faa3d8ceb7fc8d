// Sign-in against the API: /auth/config (is the demo identity allowed?), /auth/login, /auth/me,
// /auth/logout. Tokens live in sessionStorage (lib/identity.js); api() sends and refreshes them.
import { api } from './api.js';
import { clearSession, getSession, setDevIdentityAllowed, setSession, setSignedInUser } from './identity.js';

/** Ask the server whether it accepts the demo identity (X-Actor-* headers) without a token. */
export async function loadAuthConfig() {
  const { data } = await api('/auth/config', { anonymous: true });
  setDevIdentityAllowed(data?.devIdentity === true);
}

/** Who the stored tokens belong to (role and unit decide what the UI offers); clears a dead session. */
export async function loadMe() {
  if (!getSession()) return null;
  const { data } = await api('/auth/me');
  setSignedInUser(data);
  return data;
}

/** Sign in; throws ApiError (INVALID_CREDENTIALS, ACCOUNT_LOCKED, NETWORK...) on failure. */
export async function signIn(username, password) {
  const { data } = await api('/auth/login', { method: 'POST', body: { username, password }, anonymous: true });
  setSession({ accessToken: data.accessToken, refreshToken: data.refreshToken });
  return loadMe();
}

/** End the session on the server (best effort) and forget the tokens. */
export async function signOut() {
  if (getSession()) {
    try {
      await api('/auth/logout', { method: 'POST', body: {} });
    } catch { /* the session is forgotten here either way */ }
  }
  clearSession();
}
