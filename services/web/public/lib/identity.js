// The demo identity ("演示身份") that stands in for sign-in: a role and, for handlers and
// department heads, a unit. Sent on every API call as X-Actor-Id / X-Actor-Role / X-Actor-Unit.

const STORAGE_KEY = 'petitions.actingAs';
export const ACTING_ROLES = ['clerk', 'dispatcher', 'handler', 'department_head', 'follow_up', 'supervisor', 'admin', 'resident'];
/** Roles that may change the work calendar and the time limits (工作日历, 时限标准). */
export const ADMIN_ROLES = ['admin'];
/** Roles that act for an org unit (承办人, 部门负责人): they need a unit chosen. */
export const UNIT_ROLES = ['handler', 'department_head'];

function load() {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (raw && ACTING_ROLES.includes(raw.role)) return { role: raw.role, unitId: typeof raw.unitId === 'string' ? raw.unitId : null };
  } catch { /* ignore */ }
  return { role: 'clerk', unitId: null };
}

let identity = load();

export function getIdentity() {
  return { ...identity };
}

/** Change role and/or unit; fires `identitychange` on window when something changed. */
export function setIdentity(patch) {
  const next = { ...identity, ...patch };
  if (!ACTING_ROLES.includes(next.role)) return;
  if (next.role === identity.role && next.unitId === identity.unitId) return;
  identity = next;
  try { localStorage.setItem(STORAGE_KEY, JSON.stringify(identity)); } catch { /* ignore */ }
  window.dispatchEvent(new CustomEvent('identitychange', { detail: getIdentity() }));
}

/** The unit the person acts for: only handlers and department heads act for a unit. */
export function actingUnitId(id = identity) {
  return UNIT_ROLES.includes(id.role) ? id.unitId : null;
}

/** True when the demo identity may change administration data. */
export function isAdmin(id = identity) {
  return ADMIN_ROLES.includes(id.role);
}

export function identityHeaders() {
  const headers = { 'X-Actor-Id': `demo-${identity.role}`, 'X-Actor-Role': identity.role };
  const unit = actingUnitId();
  if (unit) headers['X-Actor-Unit'] = unit;
  return headers;
}
