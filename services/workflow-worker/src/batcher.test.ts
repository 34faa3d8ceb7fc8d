import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './batcher.js';

describe('MicroBatcher', () => {
  it('runs concurrent items together, up to the batch size', async () => {
    const batches: number[][] = [];
    const b = new MicroBatcher<number, number>(3, async (items) => {
      batches.push(items);
      return new Map(items.map((i) => [i, i * 10]));
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => b.add(i)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('retries items alone when their batch fails, so one bad item fails alone', async () => {
    const b = new MicroBatcher<number, number>(10, async (items) => {
      if (items.includes(13)) throw new Error('bad item');
      return new Map(items.map((i) => [i, i]));
    });
    const settled = await Promise.allSettled([1, 13, 2].map((i) => b.add(i)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
