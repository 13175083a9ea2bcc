import { oncePerRequest, runInRequestContext } from './request-context';

describe('oncePerRequest', () => {
  const inRequest = <T>(id: string, fn: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => runInRequestContext({ ip: '127.0.0.1', requestId: id }, () => void fn().then(resolve, reject)));

  it('reads once per request, even when asked twice at once, and again in the next request', async () => {
    let reads = 0;
    const read = async () => ++reads;
    const first = await inRequest('a', () => Promise.all([oncePerRequest('v', read), oncePerRequest('v', read)]));
    expect(first).toEqual([1, 1]);
    expect(await inRequest('b', () => oncePerRequest('v', read))).toBe(2);
    // Another key is its own read.
    expect(await inRequest('c', async () => [await oncePerRequest('v', read), await oncePerRequest('w', read)])).toEqual([3, 4]);
  });

  it('reads each time outside a request (scheduler, worker)', async () => {
    let reads = 0;
    const read = async () => ++reads;
    expect([await oncePerRequest('v', read), await oncePerRequest('v', read)]).toEqual([1, 2]);
  });
});
