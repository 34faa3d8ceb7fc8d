/** Vocabulary shared by the API, the machines and the database. Pure: no I/O. */

export const URGENCIES = ['emergency', 'utilities', 'normal', 'complex'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const CHANNELS = [
  'hotline', 'web', 'mobile', 'walk_in', 'door_to_door', 'symposium', 'questionnaire',
  'suggestion_box', 'online_column', 'letter', 'open311',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** 诉求 (request for action) or 咨询 (inquiry). */
export const PETITION_KINDS = ['request', 'inquiry'] as const;
export type PetitionKind = (typeof PETITION_KINDS)[number];

export const SATISFACTION = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];

/** How a closed petition ended (归档). */
export const OUTCOMES = ['resolved', 'unresolved', 'answered', 'rejected', 'merged', 'withdrawn', 'no_feedback'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const ORG_UNIT_KINDS = ['city', 'district', 'street', 'community', 'department', 'centre'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/** Where a petition's task goes: one lead unit (牵头单位) and any cooperating units (配合单位). */
export interface Route {
  leadUnitId: string;
  coUnitIds: string[];
  slaClass: Urgency;
}
