import { ROLES, type Role } from '@petitions/domain';
import { errors } from './errors.js';

/** Roles people have accounts for: everyone but residents (no account) and the system itself. */
export type StaffRole = Exclude<Role, 'resident' | 'system'>;
export const STAFF_ROLES = ROLES.filter((r): r is StaffRole => r !== 'resident' && r !== 'system');

export const ADMIN_ONLY: readonly Role[] = ['admin'];

/** Roles whose accounts must name the unit they act for. */
const UNIT_ROLES: readonly Role[] = ['handler', 'department_head', 'leader'];

/**
 * Why an account of `role` cannot have a unit of this kind (null: no unit), or null if it can.
 * Handlers and department heads act for their unit; a leader reads the figures of one city or
 * district, and without a unit would read every city's.
 */
export function accountUnitProblem(role: Role, unitKind: string | null): string | null {
  if (unitKind === null) return UNIT_ROLES.includes(role) ? `a ${role} acts for a unit: give one${role === 'leader' ? ' (a city or a district)' : ''}` : null;
  if (role === 'leader' && unitKind !== 'city' && unitKind !== 'district') return `a leader's unit must be a city or a district, not a ${unitKind}`;
  return null;
}

/**
 * 403 ROLE_NOT_ALLOWED unless `role` is one of `roles`. `what` names the action; `refuse` words
 * the message (commands use errors.roleNotAllowed: "… may be sent only by: …").
 */
export function requireRole(role: Role, roles: readonly Role[], what: string, refuse = errors.actionNotAllowed): void {
  if (!roles.includes(role)) throw refuse(what, roles);
}
