import { KeptValues } from './kept-values';

describe('KeptValues', () => {
  it('computes once per key and version, and again when the version moves', async () => {
    const kept = new KeptValues(10);
    let computed = 0;
    const produce = () => Promise.resolve(++computed);
    await expect(kept.get('a', 'v1', produce)).resolves.toBe(1);
    await expect(kept.get('a', 'v1', produce)).resolves.toBe(1);
    await expect(kept.get('a', 'v2', produce)).resolves.toBe(2);
    await expect(kept.get('b', 'v2', produce)).resolves.toBe(3);
  });

  it('shares a computation under way, and keeps no failure', async () => {
    const kept = new KeptValues(10);
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error('database down'));
    };
    const [first, second] = [kept.get('a', 'v1', failing), kept.get('a', 'v1', failing)];
    await expect(first).rejects.toThrow('database down');
    await expect(second).rejects.toThrow('database down');
    expect(calls).toBe(1);
    await expect(kept.get('a', 'v1', () => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('holds at most max keys, dropping the least recently computed', async () => {
    const kept = new KeptValues(2);
    let computed = 0;
    const produce = () => Promise.resolve(++computed);
    await kept.get('a', 'v', produce);
    await kept.get('b', 'v', produce);
    await kept.get('c', 'v', produce);
    await expect(kept.get('b', 'v', produce)).resolves.toBe(2);
    await expect(kept.get('a', 'v', produce)).resolves.toBe(4);
  });
});
