// Who the UI acts as. Signed in (POST /auth/login): the account's role and unit from /auth/me, and
// the tokens (sessionStorage) go as `Authorization: Bearer`. Not signed in, and only while the
// server allows it (GET /auth/config devIdentity): the demo identity ("演示身份"), a role and, for
// handlers and department heads, a unit (for a leader, a city or district), sent as X-Actor-Id /
// X-Actor-Role / X-Actor-Unit.

const STORAGE_KEY = 'petitions.actingAs';
export const ACTING_ROLES = ['clerk', 'dispatcher', 'handler', 'department_head', 'follow_up', 'supervisor', 'leader', 'admin', 'resident'];
/** Roles that may change the work calendar and the time limits (工作日历, 时限标准). */
export const ADMIN_ROLES = ['admin'];
/** Roles that act for an org unit (承办人, 部门负责人): they need a unit chosen. */
export const UNIT_ROLES = ['handler', 'department_head'];
/** Roles the API lets register petitions (受理登记): services/api/src/routes/petitions.ts INTAKE_ROLES. */
export const INTAKE_ROLES = ['clerk', 'dispatcher', 'supervisor', 'admin'];
/** Roles the API lets dispatch (人工派单): services/api/src/routes/petition-commands.ts DISPATCH_ROLES. */
export const DISPATCH_ROLES = ['dispatcher', 'supervisor', 'admin'];
/** Roles the API lets record the resident's rating (回访): services/api/src/routes/petition-commands.ts RATERS, less the resident. */
export const FEEDBACK_ROLES = ['follow_up'];
/** Roles the API lets read the reports and their settings (统计报表, 统计口径): services/api/src/services/reports.ts. */
export const REPORT_ROLES = ['leader', 'supervisor', 'admin'];
/** A leader reads the reports of the city or district they lead (a leader without one reads everything). */
export const LEADER_UNIT_KINDS = ['city', 'district'];

/**
 * Where a role starts (after sign-in, `#/`, the brand link): leaders the reports, those who may
 * register petitions 受理登记, follow-up agents the petitions waiting for their call (待回访), everyone
 * else (handlers, department heads) the queues.
 */
export function homePath(role) {
  if (role === 'leader') return '/reports';
  if (FEEDBACK_ROLES.includes(role)) return '/feedback';
  return INTAKE_ROLES.includes(role) ? '/intake' : '/queue';
}

function load() {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (raw && ACTING_ROLES.includes(raw.role)) return { role: raw.role, unitId: typeof raw.unitId === 'string' ? raw.unitId : null };
  } catch { /* ignore */ }
  return { role: 'clerk', unitId: null };
}

let identity = load();

// ---------------------------------------------------------------------------------------------
// Sign-in

const SESSION_KEY = 'petitions.session';

function loadSession() {
  try {
    const raw = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    if (raw && typeof raw.accessToken === 'string' && typeof raw.refreshToken === 'string') {
      return { accessToken: raw.accessToken, refreshToken: raw.refreshToken, user: raw.user && typeof raw.user === 'object' ? raw.user : null };
    }
  } catch { /* ignore */ }
  return null;
}

let session = loadSession();
/** Whether the server accepts the demo identity (GET /auth/config); false until known. */
let devIdentity = false;

function saveSession() {
  try {
    if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(SESSION_KEY);
  } catch { /* ignore */ }
}

export function setDevIdentityAllowed(allowed) {
  devIdentity = allowed === true;
}

export function devIdentityAllowed() {
  return devIdentity;
}

/** The tokens of the signed-in session, or null. */
export function getSession() {
  return session ? { ...session } : null;
}

/** The signed-in user ({ id, username, displayName, role, unitId }) once /auth/me answered, else null. */
export function signedInUser() {
  return session?.user ? { ...session.user } : null;
}

export function isSignedIn() {
  return !!session?.user;
}

/** Store tokens from /auth/login or /auth/refresh (and the user, when given). */
export function setSession(tokens) {
  const user = tokens.user ?? session?.user ?? null;
  session = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, user };
  saveSession();
}

/** The account from /auth/me: its role and unit decide what the UI offers. */
export function setSignedInUser(user) {
  if (!session) return;
  session = { ...session, user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, unitId: user.unitId ?? null } };
  saveSession();
  window.dispatchEvent(new CustomEvent('identitychange', { detail: getIdentity() }));
}

/** Forget the session (sign-out, or the server no longer accepts it). */
export function clearSession() {
  const had = !!session;
  session = null;
  saveSession();
  if (had) window.dispatchEvent(new CustomEvent('identitychange', { detail: getIdentity() }));
}

/** The demo identity may be switched only when nobody is signed in and the server allows it. */
export function canSwitchIdentity() {
  return !session && devIdentity;
}

export function getIdentity() {
  if (session?.user) return { role: session.user.role, unitId: session.user.unitId ?? null };
  return { ...identity };
}

/** Change role and/or unit; fires `identitychange` on window when something changed. */
export function setIdentity(patch) {
  if (!canSwitchIdentity()) return;
  const next = { ...identity, ...patch };
  if (!ACTING_ROLES.includes(next.role)) return;
  if (next.role === identity.role && next.unitId === identity.unitId) return;
  identity = next;
  try { localStorage.setItem(STORAGE_KEY, JSON.stringify(identity)); } catch { /* ignore */ }
  window.dispatchEvent(new CustomEvent('identitychange', { detail: getIdentity() }));
}

/** The unit the person acts for: only handlers and department heads act for a unit. */
export function actingUnitId(id = getIdentity()) {
  return UNIT_ROLES.includes(id.role) ? id.unitId : null;
}

/** True when the demo identity may change administration data. */
export function isAdmin(id = getIdentity()) {
  return ADMIN_ROLES.includes(id.role);
}

/** Headers naming who acts: the access token when signed in, else the demo identity when allowed. */
export function identityHeaders() {
  if (session) return { Authorization: `Bearer ${session.accessToken}` };
  if (!devIdentity) return {};
  const headers = { 'X-Actor-Id': `demo-${identity.role}`, 'X-Actor-Role': identity.role };
  const unit = actingUnitId(identity) ?? (identity.role === 'leader' ? identity.unitId : null);
  if (unit) headers['X-Actor-Unit'] = unit;
  return headers;
}
