export interface BatcherOptions {
  /** Batches running at once (one per database connection). */
  maxInFlight?: number;
  /**
   * Items that must be waiting before a batch starts beside one already running. Under a light,
   * steady load a second transaction for one or two items costs more than it saves: they wait
   * for the running batch and go together. Under a burst the queue passes this at once.
   */
  extraBatchFrom?: number;
}

/**
 * Collects items from concurrent callers and runs them together. At most `maxInFlight` batches
 * run at once; while they run, new items accumulate, so batches grow with the load instead of
 * with luck. An idle batcher flushes at the end of the current turn of the event loop, so a lone
 * command waits for nothing.
 * If a whole batch fails, each item is retried alone so one bad item cannot sink the others.
 */
export class MicroBatcher<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly extraBatchFrom: number;

  constructor(
    private readonly maxSize: number,
    private readonly run: (items: T[]) => Promise<Map<T, R>>,
    options: BatcherOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 1;
    this.extraBatchFrom = options.extraBatchFrom ?? 1;
  }

  /** Whether the waiting items should start a batch now. */
  private ready(): boolean {
    if (this.queue.length === 0 || this.inFlight >= this.maxInFlight) return false;
    return this.inFlight === 0 || this.queue.length >= this.extraBatchFrom;
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || !this.ready()) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.ready()) {
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
