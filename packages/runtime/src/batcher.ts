/**
 * Collects items from concurrent callers and runs them together. At most `maxInFlight` batches
 * run at once (one per database connection); while they run, new items accumulate, so batches
 * grow with the load instead of with luck. An idle batcher flushes at the end of the current turn
 * of the event loop, so a lone command waits for nothing.
 * If a whole batch fails, each item is retried alone so one bad item cannot sink the others.
 */
export class MicroBatcher<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly maxSize: number,
    private readonly run: (items: T[]) => Promise<Map<T, R>>,
    private readonly maxInFlight = 1,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.maxSize);
      this.inFlight++;
      void this.execute(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async execute(batch: typeof this.queue): Promise<void> {
    try {
      const results = await this.run(batch.map((b) => b.item));
      for (const b of batch) {
        const r = results.get(b.item);
        if (r === undefined) b.reject(new Error('No result for batch item'));
        else b.resolve(r);
      }
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      for (const b of batch) await this.execute([b]);
    }
  }
}
