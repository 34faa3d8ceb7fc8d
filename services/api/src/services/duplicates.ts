import { petitionsRepo, type Db } from '@petitions/db';
import { bigrams, bigramSimilarity, DUPLICATE_THRESHOLD, DUPLICATE_WINDOW_DAYS } from '@petitions/domain';

export interface DuplicateCandidate {
  id: string;
  trackingNo: string;
  title: string;
  state: string;
  createdAt: string;
  similarity: number;
}

/**
 * Possible duplicates of a new request: same category and street (or district, without a
 * street), within 30 days, with similar text (the 200 most recent such petitions are compared). The clerk decides; merging is a separate command.
 */
export async function findDuplicateCandidates(
  db: Db,
  q: { categoryId: string; districtId: string; streetId?: string | undefined; title: string; content: string; excludeId?: string },
  now = new Date(),
): Promise<DuplicateCandidate[]> {
  const pool = await petitionsRepo.listDuplicatePool(db, {
    categoryId: q.categoryId, districtId: q.districtId, streetId: q.streetId ?? null,
    since: new Date(now.getTime() - DUPLICATE_WINDOW_DAYS * 86_400_000), limit: 200,
  });
  const mine = bigrams(`${q.title} ${q.content.slice(0, 300)}`);
  return pool
    .filter((p) => p.id !== q.excludeId)
    .map((p) => ({ p, similarity: bigramSimilarity(mine, bigrams(`${p.title} ${p.content}`)) }))
    .filter((x) => x.similarity >= DUPLICATE_THRESHOLD)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, 5)
    .map(({ p, similarity }) => ({
      id: p.id, trackingNo: p.tracking_no, title: p.title, state: p.state, createdAt: p.created_at.toISOString(),
      similarity: Math.round(similarity * 100) / 100,
    }));
}
