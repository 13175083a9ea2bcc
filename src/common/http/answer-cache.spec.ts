import Fastify, { FastifyInstance } from 'fastify';
import { gunzipSync } from 'node:zlib';
import { AnswerCache } from './answer-cache';

/** A cache whose budget holds about two of the spec's 30 kB answers. */
class SmallCache extends AnswerCache {
  protected override readonly budget = 70_000;
}

describe('AnswerCache', () => {
  let app: FastifyInstance;
  let sut: AnswerCache;
  let builds: Record<string, number>;
  let versions: Record<string, string>;
  let failing: Set<string>;

  /** Each key's body is 30 kB of its name and version, so gzip and plain sizes are predictable. */
  const bodyOf = (key: string) => `${key}:${versions[key] ?? 'v1'}:`.padEnd(30_000, 'x');

  beforeEach(async () => {
    sut = new SmallCache();
    builds = {};
    versions = {};
    failing = new Set();
    app = Fastify();
    app.get('/:key', async (req, reply) => {
      const key = (req.params as { key: string }).key;
      return sut.send(req, reply, {
        key,
        etag: `"${key}-${versions[key] ?? 'v1'}"`,
        cacheControl: 'public, max-age=60',
        produce: async () => {
          builds[key] = (builds[key] ?? 0) + 1;
          await new Promise((r) => setTimeout(r, 20)); // long enough for every concurrent request to arrive
          if (failing.has(key)) throw Object.assign(new Error('no such MPP'), { statusCode: 404 });
          return { type: 'text/plain; charset=utf-8', body: bodyOf(key) };
        },
      });
    });
    await app.ready();
  });

  afterEach(() => app.close());

  it('builds a version once for twenty concurrent visitors, and answers each the same body', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.inject({ url: '/a' })));
    expect(builds).toEqual({ a: 1 });
    for (const a of answers) {
      expect(a.statusCode).toBe(200);
      expect(a.body).toBe(bodyOf('a'));
      expect(a.headers).toMatchObject({ etag: '"a-v1"', 'cache-control': 'public, max-age=60', vary: 'Accept-Encoding' });
    }
    expect((await app.inject({ url: '/a' })).body).toBe(bodyOf('a'));
    expect(builds).toEqual({ a: 1 });
  });

  it('sends the gzip body to a client that accepts it, the plain one otherwise', async () => {
    const zipped = await app.inject({ url: '/a', headers: { 'accept-encoding': 'br, gzip, deflate' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.rawPayload.length).toBeLessThan(1_000);
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(bodyOf('a'));
    const plain = await app.inject({ url: '/a', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(bodyOf('a'));
    expect(builds).toEqual({ a: 1 });
  });

  it('answers 304 to a client holding the version without building it', async () => {
    const res = await app.inject({ url: '/a', headers: { 'if-none-match': '"a-v1"' } });
    expect(res.statusCode).toBe(304);
    expect(res.body).toBe('');
    expect(res.headers.etag).toBe('"a-v1"');
    expect(builds).toEqual({});
  });

  it('builds again when the version changes, and never answers the old body for the new version', async () => {
    await app.inject({ url: '/a' });
    versions.a = 'v2';
    const res = await app.inject({ url: '/a' });
    expect(res.headers.etag).toBe('"a-v2"');
    expect(res.body).toBe(bodyOf('a'));
    expect(res.body.startsWith('a:v2:')).toBe(true);
    expect(builds).toEqual({ a: 2 });
  });

  it('keeps no failed build and sets no cache header on the error', async () => {
    failing.add('gone');
    const res = await app.inject({ url: '/gone' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['cache-control']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
    failing.delete('gone');
    expect((await app.inject({ url: '/gone' })).statusCode).toBe(200);
    expect(builds).toEqual({ gone: 2 });
  });

  it('drops the oldest answers when the budget is spent, keeping the newest', async () => {
    // Plain bodies (30 kB) are kept beside their gzip: two answers fit the 70 kB budget, three do not.
    for (const key of ['a', 'b', 'c']) await app.inject({ url: `/${key}` });
    for (const key of ['c', 'b', 'a']) await app.inject({ url: `/${key}` });
    expect(builds).toEqual({ a: 2, b: 1, c: 1 });
  });
});
