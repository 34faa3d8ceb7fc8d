import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { databaseUrl, testServers } from '../support/env.js';
import { REPO_ROOT } from '../support/processes.js';

function runMigrate(url: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'packages/db/src/cli/migrate.ts')], {
      cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    p.on('exit', (code) => resolve({ code, out }));
  });
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: testServers().databaseUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe('the migrate command', () => {
  it('migrates an empty database once when started twice at the same time', async () => {
    const name = `petitions_mig_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    try {
      const [a, b] = await Promise.all([runMigrate(databaseUrl(name)), runMigrate(databaseUrl(name))]);
      expect([a.code, b.code]).toEqual([0, 0]);
      // Under the advisory lock one run applies everything, the other finds nothing left to do.
      expect([a.out, b.out].filter((o) => o.includes('applied: 0001_foundation'))).toHaveLength(1);
      const again = await runMigrate(databaseUrl(name));
      expect(again).toMatchObject({ code: 0 });
      expect(again.out).toContain('up to date');
    } finally {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });

  it('exits non-zero with the reason when it cannot migrate', async () => {
    const r = await runMigrate(databaseUrl('petitions_no_such_database'));
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('migration failed');
    expect(r.out).toContain('does not exist');
  });
});
