import { describe, expect, it } from 'vitest';
import { MicroBatcher, type BatcherOptions } from './batcher.js';

/** A batcher whose first batch runs until `release()`; `batches` records what each batch took. */
function heldFirstBatch(options: BatcherOptions) {
  const batches: number[][] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const b = new MicroBatcher<number, number>(100, async (items) => {
    batches.push(items);
    if (batches.length === 1) await gate;
    return new Map(items.map((i) => [i, i]));
  }, options);
  return { b, batches, release };
}

describe('MicroBatcher', () => {
  it('runs concurrent items together, up to the batch size', async () => {
    const batches: number[][] = [];
    const b = new MicroBatcher<number, number>(3, async (items) => {
      batches.push(items);
      return new Map(items.map((i) => [i, i * 10]));
    }, { maxInFlight: 2 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => b.add(i)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('lets items pile up while the batches in flight run, then takes them together', async () => {
    const { b, batches, release } = heldFirstBatch({ maxInFlight: 1 });
    const first = b.add(0);
    await new Promise((r) => setImmediate(r));
    const rest = [1, 2, 3, 4].map((i) => b.add(i));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[0]]);
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[0], [1, 2, 3, 4]]);
  });

  it('starts a batch beside a running one only once enough items wait', async () => {
    const { b, batches, release } = heldFirstBatch({ maxInFlight: 2, extraBatchFrom: 3 });
    const first = b.add(0);
    await new Promise((r) => setImmediate(r));
    const early = [1, 2].map((i) => b.add(i));
    await new Promise((r) => setImmediate(r));
    // Two waiting: not worth a second transaction yet.
    expect(batches).toEqual([[0]]);
    const third = b.add(3);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[0], [1, 2, 3]]);
    release();
    await Promise.all([first, ...early, third]);
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
