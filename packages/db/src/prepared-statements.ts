import type pg from 'pg';

/** A statement seen this many times on a connection is prepared there from then on. */
const PREPARE_AFTER = 2;
/** Prepared statements per connection at most: texts that vary (IN lists of every length) stay unnamed past it. */
const MAX_PREPARED = 200;
/** Distinct texts counted per connection before the counts start over. */
const MAX_COUNTED = 2000;

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * Have Postgres parse, analyse and plan a connection's repeated statements once, as named
 * prepared statements (node-postgres's own mechanism: a query config with a `name`), instead of
 * on every call. The hot statements of the write path are long CTEs whose parsing and planning
 * cost more than running them. Only parameterised statements, and a bounded number per connection.
 */
export function prepareRepeatedStatements(client: pg.PoolClient): void {
  const counts = new Map<string, number>();
  const names = new Map<string, string>();
  // Names given on this connection: statements live on the server as long as the connection does.
  let given = 0;
  const target = client as unknown as { query: Query };
  const query = target.query.bind(client);
  target.query = (config, values, callback) => {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      let name = names.get(config);
      if (name === undefined && given < MAX_PREPARED) {
        const seen = (counts.get(config) ?? 0) + 1;
        if (seen >= PREPARE_AFTER) {
          name = `s${++given}`;
          names.set(config, name);
          counts.delete(config);
        } else {
          if (counts.size >= MAX_COUNTED) counts.clear();
          counts.set(config, seen);
        }
      }
      if (name !== undefined) {
        const result = query({ text: config, values, name }, callback);
        // A migration changed a table under the statement while the service ran: Postgres then
        // refuses it on every call ("cached plan must not change result type"). The failed call
        // fails; the next one prepares the text afresh under a new name.
        if (result instanceof Promise) {
          result.catch((err: unknown) => {
            if ((err as { code?: string }).code === '0A000' && names.get(config) === name) names.delete(config);
          });
        }
        return result;
      }
    }
    return query(config, values, callback);
  };
}
