/**
 * Collects items from concurrent callers and runs them together. A batch flushes when it is
 * full or at the end of the current turn of the event loop, so a lone command waits for nothing.
 * If a whole batch fails, each item is retried alone so one bad item cannot sink the others.
 */
export class MicroBatcher<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly maxSize: number, private readonly run: (items: T[]) => Promise<Map<T, R>>) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxSize) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxSize);
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    if (batch.length === 0) return;
    void this.execute(batch);
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
      await Promise.all(batch.map((b) => this.execute([b])));
    }
  }
}
