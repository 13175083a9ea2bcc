import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AnswerCache } from '../../common/http/answer-cache';
import { KeptValues } from '../../common/kept-values';
import { etagOf } from '../../common/http/http-cache';
import { oncePerRequest } from '../../common/http/request-context';
import type { IsoWeek } from '../../common/time/iso-week';
import { ReportsQueries } from './reports.queries';

/**
 * The national reports computed over every MPP (the agencies report, coverage, a province with all
 * its MPP rows) cost hundreds of milliseconds at 100,000 MPPs, and are the same for every reader of
 * a scope until the data moves: they are kept per data version (AnswerCache), which costs one query
 * of index lookups per request. Only an evaluated week is kept: until then its figures move with
 * every check-in, and they are computed for each request.
 *
 * What moves the version: a week's evaluation and every re-evaluation (a late or revised check-in,
 * a closure decided, a retirement) rewrite its report_weekly rows; registry and tenant changes move
 * mpps.updated_at and the registry's token, a flag's state, history or actions flags.updated_at and
 * the flags' token (tokens move at commit: migrations KeepRegistryVersion, KeepFlagsVersion); a
 * confirmed dispute, the formation stages and the agencies list their own columns.
 */
/** Page models kept (a province's page of 50 rows is a few kB): the oldest go first. */
const KEPT_OBJECTS = 256;

@Injectable()
export class ReportAnswers {
  constructor(
    private readonly queries: ReportsQueries,
    private readonly cache: AnswerCache,
  ) {}

  /**
   * Sends `produce()` as JSON: kept under `key` (which must name the reader's scope and every
   * parameter) per data version when `week` is evaluated, built for this request otherwise.
   */
  async send(
    req: FastifyRequest,
    reply: FastifyReply,
    key: string,
    week: IsoWeek | null,
    produce: () => Promise<unknown>,
  ): Promise<FastifyReply> {
    const version = week ? await this.version(week) : null;
    if (!version) return reply.header('cache-control', 'no-store').send(await produce());
    return this.cache.send(req, reply, {
      key: `report|${key}`,
      etag: etagOf('report', key, version),
      // Signed-in figures: a browser may keep them but asks each time (a 304 when unchanged); no shared cache.
      cacheControl: 'private, no-cache',
      produce: async () => ({ type: 'application/json; charset=utf-8', body: JSON.stringify(await produce()) }),
    });
  }

  /**
   * `produce()` itself, kept per data version when `week` is evaluated (for pages, whose HTML is
   * the reader's own but whose figures are not): `key` must name the scope and every parameter.
   */
  async kept<T>(key: string, week: IsoWeek | null, produce: () => Promise<T>): Promise<T> {
    const version = week ? await this.version(week) : null;
    if (!version) return produce();
    return this.objects.get(key, version, produce);
  }

  private readonly objects = new KeptValues(KEPT_OBJECTS);

  /** The week's data version (ReportsQueries.dataVersion), or null when the week is not evaluated. */
  private version(week: IsoWeek): Promise<string | null> {
    // A page keeping two answers of the same week reads its version once.
    return oncePerRequest(`data-version|${week}`, () => this.queries.dataVersion(week));
  }
}
