import { Semaphore } from './semaphore';

const tick = () => new Promise((r) => setImmediate(r));

/** A task the test finishes by hand (or fails), recording that it started. */
function controlled(started: number[], n: number) {
  let finish!: () => void;
  let fail!: (e: Error) => void;
  const task = () =>
    new Promise<number>((resolve, reject) => {
      started.push(n);
      finish = () => resolve(n);
      fail = reject;
    });
  return { task, finish: () => finish(), fail: (e: Error) => fail(e) };
}

describe('Semaphore', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order as slots free up', async () => {
    const sut = new Semaphore(2);
    const started: number[] = [];
    const tasks = [1, 2, 3, 4].map((n) => controlled(started, n));
    const answers = tasks.map((t) => sut.run(t.task));
    await tick();
    expect(started).toEqual([1, 2]);
    tasks[1].finish();
    await tick();
    expect(started).toEqual([1, 2, 3]);
    tasks[0].finish();
    await tick();
    expect(started).toEqual([1, 2, 3, 4]);
    tasks[2].finish();
    tasks[3].finish();
    await expect(Promise.all(answers)).resolves.toEqual([1, 2, 3, 4]);
  });

  it('frees the slot of a task that failed', async () => {
    const sut = new Semaphore(1);
    const started: number[] = [];
    const [a, b] = [1, 2].map((n) => controlled(started, n));
    const first = sut.run(a.task);
    const second = sut.run(b.task);
    await tick();
    a.fail(new Error('refused'));
    await expect(first).rejects.toThrow('refused');
    await tick();
    expect(started).toEqual([1, 2]);
    b.finish();
    await expect(second).resolves.toBe(2);
  });

  it('a newcomer waits behind those already waiting, even the moment a slot frees', async () => {
    const sut = new Semaphore(1);
    const started: number[] = [];
    const [a, b, c] = [1, 2, 3].map((n) => controlled(started, n));
    void sut.run(a.task);
    void sut.run(b.task);
    a.finish();
    void sut.run(c.task);
    await tick();
    expect(started).toEqual([1, 2]);
    b.finish();
    await tick();
    expect(started).toEqual([1, 2, 3]);
    c.finish();
  });
});
