/**
 * Values computed from data that moves rarely, kept per data version: `get` answers the value
 * kept under `key` when it was computed for `version`, else computes it (callers arriving
 * meanwhile share the same promise). At most `max` keys; the least recently computed goes first.
 * A failed computation is not kept.
 */
export class KeptValues {
  private readonly values = new Map<string, { version: string; value: Promise<unknown> }>();

  constructor(private readonly max: number) {}

  get<T>(key: string, version: string, produce: () => Promise<T>): Promise<T> {
    const held = this.values.get(key);
    if (held?.version === version) return held.value as Promise<T>;
    const value = produce();
    this.values.delete(key); // re-inserted last: the oldest key goes first
    this.values.set(key, { version, value });
    value.catch(() => this.values.get(key)?.value === value && this.values.delete(key));
    for (const oldest of this.values.keys()) {
      if (this.values.size <= this.max) break;
      this.values.delete(oldest);
    }
    return value;
  }
}
