import { Batcher } from './batcher';

/** A run function the test finishes by hand, recording each batch it was given. */
function controlledRun() {
  const batches: number[][] = [];
  const finish: Array<() => void> = [];
  const run = (items: number[]) => {
    batches.push(items);
    return new Promise<(number | Error)[]>((resolve) =>
      finish.push(() => resolve(items.map((n) => (n < 0 ? new Error(`bad ${n}`) : n * 10)))),
    );
  };
  return { batches, finish, run };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Batcher (natural batching)', () => {
  it('runs a lone call at once, alone', async () => {
    const { batches, finish, run } = controlledRun();
    const batcher = new Batcher(run, { maxBatch: 10, maxInFlight: 1 });
    const answer = batcher.submit(1);
    expect(batches).toEqual([[1]]);
    finish[0]();
    await expect(answer).resolves.toBe(10);
  });

  it('groups what arrives while a batch runs into the next one, up to maxBatch', async () => {
    const { batches, finish, run } = controlledRun();
    const batcher = new Batcher(run, { maxBatch: 3, maxInFlight: 1 });
    const answers = [1, 2, 3, 4, 5, 6].map((n) => batcher.submit(n));
    expect(batches).toEqual([[1]]);
    finish[0]();
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    finish[1]();
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
    finish[2]();
    await expect(Promise.all(answers)).resolves.toEqual([10, 20, 30, 40, 50, 60]);
    expect(batcher.stats).toEqual({ batches: 3, items: 6 });
  });

  it('runs up to maxInFlight batches at once', () => {
    const { batches, run } = controlledRun();
    const batcher = new Batcher(run, { maxBatch: 10, maxInFlight: 2 });
    [1, 2, 3, 4].forEach((n) => void batcher.submit(n));
    expect(batches).toEqual([[1], [2]]);
  });

  it('keeps two calls with the same key out of one batch, in arrival order', async () => {
    const { batches, finish, run } = controlledRun();
    const batcher = new Batcher(run, { maxBatch: 10, maxInFlight: 1, key: (n) => String(Math.abs(n) % 3) });
    const answers = [1, 2, 4, 5, 7].map((n) => batcher.submit(n));
    finish[0]();
    await tick();
    expect(batches[1]).toEqual([2, 4]);
    finish[1]();
    await tick();
    expect(batches[2]).toEqual([5, 7]);
    finish[2]();
    await expect(Promise.all(answers)).resolves.toEqual([10, 20, 40, 50, 70]);
  });

  it('fails only the item answered with an Error, and every item when the run throws', async () => {
    const { finish, run } = controlledRun();
    const batcher = new Batcher(run, { maxBatch: 10, maxInFlight: 1 });
    const first = batcher.submit(1);
    const good = batcher.submit(2);
    const bad = batcher.submit(-3);
    finish[0]();
    await first;
    await tick();
    finish[1]();
    await expect(good).resolves.toBe(20);
    await expect(bad).rejects.toThrow('bad -3');

    const throwing = new Batcher<number, number>(
      async () => {
        throw new Error('database down');
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    await expect(Promise.all([throwing.submit(1), throwing.submit(2)])).rejects.toThrow('database down');
    await expect(throwing.submit(3)).rejects.toThrow('database down');
  });
});
