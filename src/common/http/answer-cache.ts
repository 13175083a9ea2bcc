import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { promisify } from 'node:util';
import { constants, gzip, gunzip } from 'node:zlib';
import { isFresh } from './http-cache';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** One public answer as sent: its version, type and gzip body (the plain body only while small). */
interface Entry {
  etag: string;
  type: string;
  gzip: Buffer;
  plain: Buffer | null;
}

/**
 * An answer kept per version: what it is (`key`, naming everything it depends on but the data,
 * such as the reader's scope or language), its data version (`etag`), what caches may do with it,
 * and how to build it.
 */
export interface KeptAnswer {
  key: string;
  etag: string;
  /** `public, max-age=60` for what anyone may see; `private, no-cache` for what a signed-in reader sees. */
  cacheControl: string;
  produce: () => Promise<{ type: string; body: string }>;
}

/** Plain bodies above this are kept only compressed (the national JSON is tens of MB at 100,000 MPPs). */
const PLAIN_LIMIT = 2 * 1024 * 1024;
/** What the kept answers may hold in all, per process. */
const BUDGET = 48 * 1024 * 1024;

/**
 * Answers built once per data version and kept, compressed: the public status pages and JSON (a
 * flood of anonymous visitors then costs one version query each, whatever the list's size) and the
 * national reports whose figures are computed over every MPP. The first request of a new version
 * builds it for everyone waiting (no stampede). Each key keeps its latest version only; the oldest
 * keys go first when the budget is spent.
 */
@Injectable()
export class AnswerCache {
  /** Each key's latest finished answer, oldest key first. */
  private readonly entries = new Map<string, Entry>();
  /** Answers being built, by key and version: requests arriving meanwhile wait for the same build. */
  private readonly building = new Map<string, Promise<Entry>>();
  private bytes = 0;
  /** What the kept answers may hold in all (a spec lowers it). */
  protected readonly budget: number = BUDGET;

  /**
   * Answers `304` when the client holds `etag`, else the kept body for it (gzip when the client
   * accepts it), building it with `produce` when this version is not kept yet.
   */
  async send(req: FastifyRequest, reply: FastifyReply, answer: KeptAnswer): Promise<FastifyReply> {
    const { key, etag, cacheControl, produce } = answer;
    const cacheable = () =>
      reply.header('cache-control', cacheControl).header('etag', etag).header('vary', varyWith(reply, 'Accept-Encoding'));
    if (isFresh(req.headers['if-none-match'], etag)) return cacheable().code(304).send();
    const held = this.entries.get(key);
    // A build that fails (an unknown MPP: 404) throws before any cache header is set.
    const entry = held?.etag === etag ? held : await this.build(key, etag, produce);
    cacheable().code(200).header('content-type', entry.type);
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      return reply.header('content-encoding', 'gzip').send(entry.gzip);
    }
    return reply.send(entry.plain ?? (await gunzipAsync(entry.gzip)));
  }

  private build(key: string, etag: string, produce: () => Promise<{ type: string; body: string }>): Promise<Entry> {
    const id = `${key}|${etag}`;
    const running = this.building.get(id);
    if (running) return running;
    const building = (async (): Promise<Entry> => {
      const { type, body } = await produce();
      const plain = Buffer.from(body);
      const zipped = await gzipAsync(plain, { level: constants.Z_BEST_SPEED });
      return { etag, type, gzip: zipped, plain: plain.length <= PLAIN_LIMIT ? plain : null };
    })();
    this.building.set(id, building);
    // A failed build (an unknown MPP's 404, a database error) is not kept; the caller sees its error.
    building
      .then(
        (entry) => this.keep(key, entry),
        () => undefined,
      )
      .finally(() => this.building.delete(id));
    return building;
  }

  private keep(key: string, entry: Entry): void {
    const old = this.entries.get(key);
    if (old) this.bytes -= size(old);
    this.entries.delete(key); // re-inserted last: the newest key is evicted last
    this.entries.set(key, entry);
    this.bytes += size(entry);
    for (const [oldest, e] of this.entries) {
      if (this.bytes <= this.budget || this.entries.size <= 1) break;
      this.entries.delete(oldest);
      this.bytes -= size(e);
    }
  }
}

function size(e: Entry): number {
  return e.gzip.length + (e.plain?.length ?? 0);
}

function varyWith(reply: FastifyReply, header: string): string {
  const current = reply.getHeader('vary');
  return current ? `${String(current)}, ${header}` : header;
}
