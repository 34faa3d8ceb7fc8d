import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * Environment parsing. Each process parses once at boot and fails fast with every problem listed.
 * There are no default secrets and no fallback database URLs.
 */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const Url = (protocols: string[]) =>
  Type.String({ pattern: `^(${protocols.join('|')})://`, description: `${protocols.join(' or ')} URL` });

/** A base64 key that must decode to exactly 32 bytes. */
const Key32 = Type.String({ minLength: 43, description: '32 random bytes, base64' });

/** TIMER_HORIZON_MS's default; also what the worker uses when it is given no horizon (tests). */
export const DEFAULT_TIMER_HORIZON_MS = 600_000;

export const CommonEnv = Type.Object({
  DATABASE_URL: Url(['postgres', 'postgresql']),
  REDIS_URL: Url(['redis', 'rediss']),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  /** Prefix for all BullMQ keys. The braces make it a Redis Cluster hash tag. */
  QUEUE_PREFIX: Type.String({ default: '{petitions}', minLength: 1 }),
  DB_POOL_SIZE: Type.Integer({ default: 10, minimum: 1, maximum: 200 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100 }),
  /**
   * Deadlines due within this window are mirrored into Redis as delayed jobs; later ones wait in
   * Postgres until the scheduler's pump brings them near. Worker and scheduler must agree.
   */
  TIMER_HORIZON_MS: Type.Integer({ default: DEFAULT_TIMER_HORIZON_MS, minimum: 1000 }),
});

export const SecretsEnv = Type.Object({
  PETITIONS_ENCRYPTION_KEY: Key32,
  /** Stored beside each encrypted value; change it together with the key when rotating. */
  PETITIONS_ENCRYPTION_KEY_ID: Type.String({ default: 'k1', pattern: '^[A-Za-z0-9_-]{1,32}$' }),
  /** Keys being rotated out, "id:base64,id:base64": still read until `pnpm run reencrypt` has moved every value. */
  PETITIONS_PREVIOUS_ENCRYPTION_KEYS: Type.String({ default: '' }),
  PETITIONS_HMAC_KEY: Key32,
});

/** A browser origin: scheme, host (name, IPv4 or [IPv6]) and optional port, no path. */
const ORIGIN = 'https?://([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?';

export const ApiEnv = Type.Composite([
  CommonEnv,
  SecretsEnv,
  Type.Object({
    HOST: Type.String({ default: '127.0.0.1' }),
    PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
    /** How long a command request waits for the worker before answering 202. */
    COMMAND_WAIT_MS: Type.Integer({ default: 2000, minimum: 0, maximum: 30_000 }),
    /** Max time a request may wait on Redis before the command is left to the recovery sweep. */
    ENQUEUE_TIMEOUT_MS: Type.Integer({ default: 1000, minimum: 50 }),
    /** Requests per minute per client (signed-in user, else IP address); kept in Redis, shared by all replicas. */
    API_RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 600, minimum: 1 }),
    /** POST /petitions per minute per client: a stricter budget of its own. */
    API_INTAKE_RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 120, minimum: 1 }),
    /** Switch rate limits off (benchmarks only). */
    API_RATE_LIMIT_ENABLED: Type.Boolean({ default: true }),
    /** Browser origins allowed to call the API cross-origin, comma-separated; empty: same-origin only. */
    API_CORS_ORIGINS: Type.String({
      default: '',
      pattern: `^(${ORIGIN}(\\s*,\\s*${ORIGIN})*)?$`,
      description: 'comma-separated origins such as https://intake.example.gov.cn (scheme, host, optional port; no path)',
    }),
    API_BODY_LIMIT_BYTES: Type.Integer({ default: 256 * 1024, minimum: 1024, maximum: 16 * 1024 * 1024 }),
    API_REQUEST_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 1000, maximum: 600_000 }),
    /** Behind a reverse proxy: its addresses/CIDRs (or true); the client IP then comes from X-Forwarded-For. */
    API_TRUST_PROXY: Type.String({ default: '', pattern: '^[0-9A-Za-z.:/,\\s]*$', description: 'true, false, or comma-separated proxy addresses/CIDRs' }),
    /** Accept X-Actor-* headers without a token: the demo and tests only, never with real data. */
    API_DEV_IDENTITY: Type.Boolean({ default: false }),
    AUTH_ACCESS_TTL_MS: Type.Integer({ default: 15 * 60_000, minimum: 60_000 }),
    AUTH_REFRESH_TTL_MS: Type.Integer({ default: 12 * 3_600_000, minimum: 60_000 }),
  }),
]);

export const WorkerEnv = Type.Composite([
  CommonEnv,
  Type.Object({
    /** Jobs held at once; they wait in the batcher while earlier batches commit, so this bounds batch size too. */
    WORKER_CONCURRENCY: Type.Integer({ default: 1000, minimum: 1, maximum: 10_000 }),
    /** Commands applied together in one transaction at most. */
    WORKER_BATCH_SIZE: Type.Integer({ default: 256, minimum: 1, maximum: 2000 }),
    /**
     * Batches of the API's commands being applied at once. While they commit, jobs that arrive
     * wait and form the next batch, so under load batches grow instead of transactions multiplying
     * (p99 submit → dispatched at 300/s: 49 ms with 2, 134 ms with 8 on the 2-core dev box).
     */
    WORKER_BATCHES_IN_FLIGHT: Type.Integer({ default: 2, minimum: 1, maximum: 100 }),
    /**
     * Commands that must be waiting before a batch starts beside one already running. A light,
     * steady load then runs one transaction at a time, each a little larger, instead of two for
     * one command each: less CPU, so less waiting for it. A burst passes this at once.
     */
    WORKER_EXTRA_BATCH_FROM: Type.Integer({ default: 16, minimum: 1, maximum: 10_000 }),
    /** How long a job's lock lasts, and how often stalled jobs (their worker died) are taken back. */
    WORKER_LOCK_DURATION_MS: Type.Integer({ default: 30_000, minimum: 500 }),
    WORKER_STALLED_INTERVAL_MS: Type.Integer({ default: 30_000, minimum: 500 }),
  }),
]);

export const SchedulerEnv = Type.Composite([
  CommonEnv,
  Type.Object({
    RELAY_INTERVAL_MS: Type.Integer({ default: 200, minimum: 10 }),
    SWEEP_INTERVAL_MS: Type.Integer({ default: 5000, minimum: 100 }),
    /** A pending command older than this with no applied outcome is re-published by the sweep. */
    SWEEP_STALE_AFTER_MS: Type.Integer({ default: 5000, minimum: 0 }),
    /** How often near-term deadlines are moved from Postgres into Redis. */
    TIMER_PUMP_INTERVAL_MS: Type.Integer({ default: 1000, minimum: 50 }),
    /** A pending deadline this late with no fired event is fired straight from Postgres (Redis lost it). */
    TIMER_LATE_AFTER_MS: Type.Integer({ default: 5000, minimum: 0 }),
    /** How often applied events are folded into the report rollups: how far leaders' figures may trail. */
    REPORT_FOLD_INTERVAL_MS: Type.Integer({ default: 1000, minimum: 50 }),
  }),
]);

export const NotifierEnv = Type.Composite([
  CommonEnv,
  Type.Object({
    /** Deliver through this webhook (http or https); unset: the local outbox (rows of `notifications`). */
    NOTIFIER_WEBHOOK_URL: Type.Optional(Url(['http', 'https'])),
    /** HMAC-SHA256 key for X-Petitions-Signature; required when the URL is set. */
    NOTIFIER_WEBHOOK_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'at least 32 characters' })),
    NOTIFIER_WEBHOOK_TIMEOUT_MS: Type.Integer({ default: 5000, minimum: 100, maximum: 120_000 }),
    /** Allow loopback, private, link-local and other non-public targets (a receiver on the same network). */
    NOTIFIER_WEBHOOK_ALLOW_PRIVATE: Type.Boolean({ default: false }),
    /** Attempts per delivery before it is dead-lettered; at most the notifications queue's ceiling (10). */
    NOTIFIER_MAX_ATTEMPTS: Type.Integer({ default: 6, minimum: 1, maximum: 10 }),
    /** First retry delay; it doubles with every further attempt. */
    NOTIFIER_BACKOFF_MS: Type.Integer({ default: 2000, minimum: 1, maximum: 3_600_000 }),
  }),
]);

export type CommonConfig = Static<typeof CommonEnv>;
export type ApiConfig = Static<typeof ApiEnv>;
export type WorkerConfig = Static<typeof WorkerEnv>;
export type SchedulerConfig = Static<typeof SchedulerEnv>;
export type NotifierConfig = Static<typeof NotifierEnv>;

/** Parse `env` against `schema`: defaults applied, numbers converted, unknown keys ignored. */
export function parseEnv<S extends TSchema>(schema: S, env: Record<string, string | undefined> = process.env): Static<S> {
  const props = Object.keys((schema as unknown as { properties: Record<string, unknown> }).properties);
  const picked: Record<string, unknown> = {};
  for (const key of props) {
    const raw = env[key];
    if (raw !== undefined && raw !== '') picked[key] = raw;
  }
  const value = Value.Convert(schema, Value.Default(schema, picked));
  const problems = [...Value.Errors(schema, value)].map((e) => `${e.path.slice(1) || '(root)'}: ${e.message}`);
  if (problems.length > 0) throw new ConfigError(problems);
  for (const key of ['PETITIONS_ENCRYPTION_KEY', 'PETITIONS_HMAC_KEY'] as const) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'string' && Buffer.from(v, 'base64').length !== 32) {
      throw new ConfigError([`${key}: must be 32 bytes encoded as base64`]);
    }
  }
  const v = value as Record<string, unknown>;
  if (typeof v.NOTIFIER_WEBHOOK_URL === 'string' && v.NOTIFIER_WEBHOOK_SECRET === undefined) {
    throw new ConfigError(['NOTIFIER_WEBHOOK_SECRET: required when NOTIFIER_WEBHOOK_URL is set']);
  }
  return value;
}
