/**
 * Groups concurrent calls into batches without a timer ("natural batching"): a call starts a batch
 * at once while fewer than `maxInFlight` batches run; otherwise it waits, and everything that
 * waited goes in the next batch when one finishes. Idle, a call costs nothing extra; under load,
 * one database round trip (or one commit) serves many callers.
 *
 * `key` keeps two calls on the same thing out of one batch (the second waits for the next), so a
 * batch never has to order writes to one row. `run` answers each item in input order with a value
 * or an Error; throwing from `run` fails the whole batch.
 */
export interface BatcherOptions<I> {
  maxBatch: number;
  maxInFlight: number;
  key?: (item: I) => string;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class Batcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private inFlight = 0;
  /** Batches run and items served (read by the unit test; the app exports `mpp_check_in_batch_size` instead). */
  readonly stats = { batches: 0, items: 0 };

  constructor(
    private readonly run: (items: I[]) => Promise<(O | Error)[]>,
    private readonly options: BatcherOptions<I>,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length && this.inFlight < this.options.maxInFlight) {
      const batch = this.take();
      this.inFlight++;
      void this.execute(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** Up to maxBatch items, first come first served, at most one per key. */
  private take(): Pending<I, O>[] {
    const { key, maxBatch } = this.options;
    if (!key) return this.queue.splice(0, maxBatch);
    const taken: Pending<I, O>[] = [];
    const rest: Pending<I, O>[] = [];
    const keys = new Set<string>();
    for (const pending of this.queue) {
      const k = key(pending.item);
      if (taken.length < maxBatch && !keys.has(k)) {
        keys.add(k);
        taken.push(pending);
      } else {
        rest.push(pending);
      }
    }
    this.queue = rest;
    return taken;
  }

  private async execute(batch: Pending<I, O>[]): Promise<void> {
    this.stats.batches++;
    this.stats.items += batch.length;
    try {
      const results = await this.run(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        const result = results[i];
        if (result instanceof Error) p.reject(result);
        else p.resolve(result);
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
}
