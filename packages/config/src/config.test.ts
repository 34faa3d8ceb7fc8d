import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiEnv, ConfigError, parseEnv, WorkerEnv } from './index.js';

const key = () => randomBytes(32).toString('base64');

describe('parseEnv', () => {
  it('applies defaults and converts numbers', () => {
    const c = parseEnv(WorkerEnv, { DATABASE_URL: 'postgres://x@h/db', REDIS_URL: 'redis://h:1', WORKER_CONCURRENCY: '12' });
    expect(c.WORKER_CONCURRENCY).toBe(12);
    expect(c.QUEUE_PREFIX).toBe('{petitions}');
  });

  it('fails fast listing every problem, with no fallback URLs or secrets', () => {
    try {
      parseEnv(ApiEnv, { PORT: 'eighty' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['DATABASE_URL', 'REDIS_URL', 'PETITIONS_ENCRYPTION_KEY', 'PETITIONS_HMAC_KEY', 'PORT']) expect(problems).toContain(name);
    }
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => parseEnv(ApiEnv, {
      DATABASE_URL: 'postgres://x@h/db', REDIS_URL: 'redis://h:1', PETITIONS_ENCRYPTION_KEY: randomBytes(40).toString('base64'), PETITIONS_HMAC_KEY: key(),
    })).toThrow(/PETITIONS_ENCRYPTION_KEY/);
  });

  it('refuses a database URL of the wrong scheme', () => {
    expect(() => parseEnv(WorkerEnv, { DATABASE_URL: 'mysql://x@h/db', REDIS_URL: 'redis://h:1' })).toThrow(/DATABASE_URL/);
  });
});
