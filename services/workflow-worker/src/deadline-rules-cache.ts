import { timeRepo, type DbOrTx } from '@petitions/db';
import type { DeadlineRules } from '@petitions/domain';

/**
 * The calendar and SLA policies, reloaded at most every `ttlMs`: small tables read per batch
 * would cost a round trip each; an admin's edit reaches new deadlines within seconds.
 */
export class DeadlineRulesCache {
  private cached: { rules: DeadlineRules; loadedAt: number } | undefined;
  private loading: Promise<DeadlineRules> | undefined;

  constructor(private readonly db: DbOrTx, private readonly ttlMs: number) {}

  async get(): Promise<DeadlineRules> {
    if (this.cached && Date.now() - this.cached.loadedAt < this.ttlMs) return this.cached.rules;
    this.loading ??= timeRepo.loadDeadlineRules(this.db).then((rules) => {
      this.cached = { rules, loadedAt: Date.now() };
      return rules;
    }).finally(() => { this.loading = undefined; });
    return this.loading;
  }
}
