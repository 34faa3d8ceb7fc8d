export const ROLES = [
  'clerk', 'dispatcher', 'handler', 'department_head', 'follow_up', 'supervisor', 'leader', 'admin',
  'resident', 'system',
] as const;
export type Role = (typeof ROLES)[number];

/** Who issued a command. `unitId` is the org unit the person acts for. */
export interface Actor {
  id: string;
  role: Role;
  unitId: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system', unitId: null };
