import { referenceRepo, type Category, type Db, type OrgUnit } from '@petitions/db';

/**
 * Org units and categories change rarely and are read on every intake and every answer, so the
 * API keeps them in memory and reloads them at most every `ttlMs` (one load at a time).
 */
export class ReferenceCache {
  private units = new Map<string, OrgUnit>();
  private categories = new Map<string, Category>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly db: Db, private readonly ttlMs = 60_000) {}

  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt < this.ttlMs) return;
    this.loading ??= (async () => {
      try {
        const [units, categories] = await Promise.all([referenceRepo.listOrgUnits(this.db), referenceRepo.listCategories(this.db)]);
        this.units = new Map(units.map((u) => [u.id, u]));
        this.categories = new Map(categories.map((c) => [c.id, c]));
        this.loadedAt = Date.now();
      } finally {
        this.loading = null;
      }
    })();
    await this.loading;
  }

  async unit(id: string): Promise<OrgUnit | undefined> {
    await this.fresh();
    return this.units.get(id);
  }

  /** An active category. */
  async category(id: string): Promise<Category | undefined> {
    await this.fresh();
    return this.categories.get(id);
  }
}
