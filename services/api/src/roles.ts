import { ROLES, type Role } from '@petitions/domain';
import { errors } from './errors.js';

/** Roles people have accounts for: everyone but residents (no account) and the system itself. */
export type StaffRole = Exclude<Role, 'resident' | 'system'>;
export const STAFF_ROLES = ROLES.filter((r): r is StaffRole => r !== 'resident' && r !== 'system');

export const ADMIN_ONLY: readonly Role[] = ['admin'];

/**
 * 403 ROLE_NOT_ALLOWED unless `role` is one of `roles`. `what` names the action; `refuse` words
 * the message (commands use errors.roleNotAllowed: "… may be sent only by: …").
 */
export function requireRole(role: Role, roles: readonly Role[], what: string, refuse = errors.actionNotAllowed): void {
  if (!roles.includes(role)) throw refuse(what, roles);
}
