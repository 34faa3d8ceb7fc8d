/** The servers the suite runs against (set by infra/dev.sh test, or by the developer). */
export function testServers(): { databaseUrl: string; redisUrl: string } {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    throw new Error('DATABASE_URL and REDIS_URL must be set: run the suite with `infra/dev.sh test`');
  }
  return { databaseUrl, redisUrl };
}

export const TEMPLATE_DB = 'petitions_test_template';

/** The same server, another database. */
export function databaseUrl(name: string): string {
  const url = new URL(testServers().databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
