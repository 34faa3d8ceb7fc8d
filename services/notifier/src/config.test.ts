import { describe, expect, it } from 'vitest';
import { ConfigError, NotifierEnv, parseEnv } from '@petitions/config';
import { QUEUES } from '@petitions/queue';
import { channelFromConfig } from './channels/index.js';
import { notifierBackoff } from './worker.js';

const BASE = { DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };
const SECRET = 's'.repeat(32);

function problems(env: Record<string, string>): string {
  try {
    parseEnv(NotifierEnv, { ...BASE, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join('\n');
    throw err;
  }
  return '';
}

describe('notifier configuration', () => {
  it('defaults to the local outbox with 6 attempts and 2 s exponential backoff', () => {
    const c = parseEnv(NotifierEnv, BASE);
    expect(c).toMatchObject({ NOTIFIER_WEBHOOK_TIMEOUT_MS: 5000, NOTIFIER_WEBHOOK_ALLOW_PRIVATE: false, NOTIFIER_MAX_ATTEMPTS: 6, NOTIFIER_BACKOFF_MS: 2000 });
    expect(c.NOTIFIER_WEBHOOK_URL).toBeUndefined();
  });

  it('parses the webhook settings from strings', () => {
    const c = parseEnv(NotifierEnv, {
      ...BASE, NOTIFIER_WEBHOOK_URL: 'https://hooks.example/in', NOTIFIER_WEBHOOK_SECRET: SECRET,
      NOTIFIER_WEBHOOK_TIMEOUT_MS: '1500', NOTIFIER_WEBHOOK_ALLOW_PRIVATE: 'true', NOTIFIER_MAX_ATTEMPTS: '3', NOTIFIER_BACKOFF_MS: '10',
    });
    expect(c).toMatchObject({ NOTIFIER_WEBHOOK_TIMEOUT_MS: 1500, NOTIFIER_WEBHOOK_ALLOW_PRIVATE: true, NOTIFIER_MAX_ATTEMPTS: 3, NOTIFIER_BACKOFF_MS: 10 });
  });

  it('refuses a webhook without a secret, a short secret, other schemes and nonsense values', () => {
    expect(problems({ NOTIFIER_WEBHOOK_URL: 'https://hooks.example/in' })).toContain('NOTIFIER_WEBHOOK_SECRET: required');
    expect(problems({ NOTIFIER_WEBHOOK_URL: 'https://hooks.example/in', NOTIFIER_WEBHOOK_SECRET: 'short' })).toContain('NOTIFIER_WEBHOOK_SECRET');
    expect(problems({ NOTIFIER_WEBHOOK_URL: 'ftp://hooks.example/in', NOTIFIER_WEBHOOK_SECRET: SECRET })).toContain('NOTIFIER_WEBHOOK_URL');
    expect(problems({ NOTIFIER_WEBHOOK_ALLOW_PRIVATE: 'yes please' })).toContain('NOTIFIER_WEBHOOK_ALLOW_PRIVATE');
    expect(problems({ NOTIFIER_MAX_ATTEMPTS: '0' })).toContain('NOTIFIER_MAX_ATTEMPTS');
  });

  it('cannot ask for more attempts than the notifications queue allows', () => {
    const max = (NotifierEnv.properties.NOTIFIER_MAX_ATTEMPTS as unknown as { maximum: number }).maximum;
    expect(QUEUES.notifications.options.attempts).toBeGreaterThanOrEqual(max);
    expect(problems({ NOTIFIER_MAX_ATTEMPTS: String(QUEUES.notifications.options.attempts + 1) })).toContain('NOTIFIER_MAX_ATTEMPTS');
    // The delay is the notifier's own: the queue names the custom strategy its worker supplies.
    expect(QUEUES.notifications.options.backoff.type).toBe('notifier');
  });

  it('stops at start with a ConfigError when the webhook target is refused or does not resolve', async () => {
    const cfg = (url: string, allow = false) => ({
      NOTIFIER_WEBHOOK_URL: url, NOTIFIER_WEBHOOK_SECRET: SECRET, NOTIFIER_WEBHOOK_TIMEOUT_MS: 1000, NOTIFIER_WEBHOOK_ALLOW_PRIVATE: allow,
    });
    for (const url of ['http://127.0.0.1:9/', 'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:9/', 'http://localhost:9/']) {
      const err = await channelFromConfig(cfg(url)).catch((e: unknown) => e);
      expect(err, url).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems[0], url).toMatch(/^NOTIFIER_WEBHOOK_URL: .*NOTIFIER_WEBHOOK_ALLOW_PRIVATE=true/);
    }
    const unresolvable = await channelFromConfig(cfg('https://hooks.example/in'), async () => { throw Object.assign(new Error('x'), { code: 'ENOTFOUND' }); }).catch((e: unknown) => e);
    expect((unresolvable as ConfigError).problems).toEqual(['NOTIFIER_WEBHOOK_URL: host hooks.example did not resolve (ENOTFOUND)']);
    await expect(channelFromConfig(cfg('http://127.0.0.1:9/', true))).resolves.toMatchObject({ name: 'webhook' });
    await expect(channelFromConfig(cfg('https://hooks.example/in'), async () => [{ address: '93.184.216.34', family: 4 }])).resolves.toMatchObject({ name: 'webhook' });
    await expect(channelFromConfig({ ...cfg('x'), NOTIFIER_WEBHOOK_URL: undefined })).resolves.toMatchObject({ name: 'local' });
  });

  it('backs off exponentially from NOTIFIER_BACKOFF_MS', () => {
    const delay = notifierBackoff(2000);
    expect([1, 2, 3, 4, 5].map(delay)).toEqual([2000, 4000, 8000, 16000, 32000]);
    expect(delay(40)).toBe(3_600_000);
  });
});
