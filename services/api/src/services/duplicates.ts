import { petitionsRepo, type Db } from '@petitions/db';
import { bigrams, bigramSimilarity, DUPLICATE_THRESHOLD, DUPLICATE_WINDOW_DAYS, type Bigrams } from '@petitions/domain';

export interface DuplicateCandidate {
  id: string;
  trackingNo: string;
  title: string;
  state: string;
  createdAt: string;
  similarity: number;
}

/** Candidates' bigrams, by petition id: in a burst of reports about one thing the same recent petitions are compared again and again. */
const candidateBigrams = new Map<string, Bigrams>();
const CACHE_LIMIT = 20_000;

function bigramsOf(p: { id: string; title: string; content: string }): Bigrams {
  let g = candidateBigrams.get(p.id);
  if (!g) {
    g = bigrams(`${p.title} ${p.content}`);
    // Oldest first out: a Map iterates in insertion order.
    if (candidateBigrams.size >= CACHE_LIMIT) candidateBigrams.delete(candidateBigrams.keys().next().value!);
    candidateBigrams.set(p.id, g);
  }
  return g;
}

/**
 * Possible duplicates of a new request: same category and street (or district, without a
 * street), within 30 days, with similar text. The most recent `poolLimit` such petitions are
 * compared: repeats of one problem cluster in time. The clerk decides; merging is a separate command.
 */
export async function findDuplicateCandidates(
  db: Db,
  q: { categoryId: string; districtId: string; streetId?: string | undefined; title: string; content: string; excludeId?: string },
  opts: { poolLimit?: number; now?: Date } = {},
): Promise<DuplicateCandidate[]> {
  const now = opts.now ?? new Date();
  const pool = await petitionsRepo.listDuplicatePool(db, {
    categoryId: q.categoryId, districtId: q.districtId, streetId: q.streetId ?? null,
    since: new Date(now.getTime() - DUPLICATE_WINDOW_DAYS * 86_400_000), limit: opts.poolLimit ?? 200,
  });
  const mine = bigrams(`${q.title} ${q.content.slice(0, 300)}`);
  return pool
    .filter((p) => p.id !== q.excludeId)
    .map((p) => ({ p, similarity: bigramSimilarity(mine, bigramsOf(p)) }))
    .filter((x) => x.similarity >= DUPLICATE_THRESHOLD)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, 5)
    .map(({ p, similarity }) => ({
      id: p.id, trackingNo: p.tracking_no, title: p.title, state: p.state, createdAt: p.created_at.toISOString(),
      similarity: Math.round(similarity * 100) / 100,
    }));
}
