import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';

/** Every migration, in order. Static imports keep the service build self-contained. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
};
