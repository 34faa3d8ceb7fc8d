/**
 * Text similarity for spotting duplicate petitions. Chinese has no spaces between words, so the
 * unit is the character bigram (which also works for Latin text once spaces are removed), and
 * the score is the Sørensen–Dice coefficient of the two bigram multisets: 1 for the same text,
 * 0 for nothing in common.
 */
export type Bigrams = Map<string, number>;

export function bigrams(text: string): Bigrams {
  const chars = [...text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '')];
  const grams = new Map<string, number>();
  for (let i = 0; i < chars.length - 1; i++) {
    const g = chars[i]! + chars[i + 1]!;
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return grams;
}

/** Dice coefficient of two bigram multisets (compute a text's bigrams once when comparing it to many). */
export function bigramSimilarity(ga: Bigrams, gb: Bigrams): number {
  let sizeA = 0;
  let sizeB = 0;
  let shared = 0;
  for (const n of ga.values()) sizeA += n;
  for (const [g, n] of gb) {
    sizeB += n;
    shared += Math.min(n, ga.get(g) ?? 0);
  }
  return sizeA + sizeB === 0 ? 0 : (2 * shared) / (sizeA + sizeB);
}

export function textSimilarity(a: string, b: string): number {
  return bigramSimilarity(bigrams(a), bigrams(b));
}

/** Candidates scoring at least this are shown to the clerk as possible duplicates. */
export const DUPLICATE_THRESHOLD = 0.25;
export const DUPLICATE_WINDOW_DAYS = 30;
