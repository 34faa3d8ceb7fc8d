import type { Db } from '@petitions/db';
import type { PersonalDataKeys } from '@petitions/personal-data';
import type { QueueClient } from '@petitions/queue';
import type { Redis } from 'ioredis';
import type { OutcomeWaiter } from './services/outcome-waiter.js';
import type { ReferenceCache } from './services/reference-cache.js';
import type { HttpSettings } from './plugins/security.js';

/** Everything routes need, created once by main.ts (or a test) and passed to buildApp. */
export interface AppContext {
  db: Db;
  redis: Redis;
  queues: QueueClient;
  waiter: OutcomeWaiter;
  keys: PersonalDataKeys;
  reference: ReferenceCache;
  commandWaitMs: number;
  enqueueTimeoutMs: number;
  auth: AuthSettings;
  /** Limits, headers and origins at the HTTP edge; DEFAULT_HTTP_SETTINGS when absent. */
  http?: HttpSettings;
}

export interface AuthSettings {
  /** Accept X-Actor-* headers from callers without a token (demo and tests only). */
  devIdentity: boolean;
  accessTtlMs: number;
  refreshTtlMs: number;
}
