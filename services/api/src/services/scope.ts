import { petitionsRepo, scopeRepo, type Db, type Petition } from '@petitions/db';
import type { Actor } from '@petitions/domain';
import { errors } from '../errors.js';

type PetitionScope = scopeRepo.PetitionScope;

/**
 * What an actor may see. The 12345 centre (clerks, dispatchers, supervisors, follow-up agents,
 * admins) sees every petition; a handler or department head sees what touches their unit; a
 * leader reads everything in their unit's subtree (a leader without a unit, everything).
 * Residents have no accounts: the `resident` role exists only for the development identity,
 * which trusts any header anyway; anyone else (anonymous) sees nothing.
 */
export async function scopeOf(db: Db, actor: Actor): Promise<PetitionScope> {
  switch (actor.role) {
    case 'clerk': case 'dispatcher': case 'supervisor': case 'follow_up': case 'admin': case 'system':
      return { all: true };
    case 'resident':
      return actor.id === 'anonymous' ? scopeRepo.NO_PETITIONS : { all: true };
    case 'handler': case 'department_head':
      return actor.unitId ? { all: false, unitIds: [actor.unitId] } : scopeRepo.NO_PETITIONS;
    case 'leader':
      // A city's leader reads that city, not the next city in the same installation.
      return actor.unitId ? { all: false, unitIds: await scopeRepo.unitSubtree(db, actor.unitId) } : { all: true };
  }
}

/** A petition out of scope is answered exactly like one that does not exist: 404, nothing else. */
export async function assertPetitionInScope(db: Db, actor: Actor, petitionId: string, notFound = errors.petitionNotFound): Promise<void> {
  if (!(await scopeRepo.isPetitionInScope(db, petitionId, await scopeOf(db, actor)))) throw notFound();
}

/** The petition with this id, if it exists and the actor may see it; else 404 PETITION_NOT_FOUND. */
export async function findPetitionInScope(db: Db, actor: Actor, petitionId: string): Promise<Petition> {
  const petition = await petitionsRepo.findPetitionById(db, petitionId);
  if (!petition) throw errors.petitionNotFound();
  await assertPetitionInScope(db, actor, petition.id);
  return petition;
}

/** May the actor open this unit's queue? Their own unit; leaders the units under them; the centre all. */
export async function assertUnitInScope(db: Db, actor: Actor, unitId: string): Promise<void> {
  const scope = await scopeOf(db, actor);
  if (!scope.all && !scope.unitIds.includes(unitId)) throw errors.unitNotFound();
}
