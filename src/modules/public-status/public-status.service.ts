import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors';
import { etagOf } from '../../common/http/http-cache';
import type { KeptAnswer } from '../../common/http/answer-cache';
import { PUBLIC_STATUSES, publicStatus } from './public-status.rules';
import type { PublicMppView, PublicProvinceView } from './public-status.dto';
import { PublicStatusQueries } from './public-status.queries';

/** How long anyone may keep the public JSON without asking again. */
const PUBLIC_JSON_MAX_AGE = 300;

/** Weeks in the public strip. */
const STRIP_WEEKS = 8;

/**
 * How long one process reuses a data version it read: a flood of revalidations costs one query a
 * second instead of one each. A change shows up to this much later, well inside the pages' 60 s.
 */
const VERSION_TTL_MS = 1000;

/**
 * The public status of every monitored MPP (no login): one statement for the MPPs and their last
 * eight weeks, and a cheap data version so phones and caches can ask "changed?" before any of it
 * is read.
 */
@Injectable()
export class PublicStatusService {
  private latest?: { at: number; version: Promise<string> };

  constructor(
    private readonly queries: PublicStatusQueries,
    private readonly clock: Clock,
  ) {}

  /** The JSON list as a public answer: its validator (the data version and what the list is narrowed to), built only when not kept. */
  async listAnswer(province?: string): Promise<KeptAnswer> {
    return {
      key: `json|${province ?? 'all'}`,
      etag: etagOf('json', province ?? 'all', await this.version()),
      cacheControl: `public, max-age=${PUBLIC_JSON_MAX_AGE}`,
      produce: async () => ({ type: 'application/json; charset=utf-8', body: JSON.stringify(await this.list(province)) }),
    };
  }

  async list(province?: string): Promise<PublicMppView[]> {
    return this.read(province ? { province } : {});
  }

  async one(id: string): Promise<PublicMppView> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw AppError.notFound('MPP');
    const [mpp] = await this.read({ id });
    if (!mpp) throw AppError.notFound('MPP');
    return mpp;
  }

  /** Every province with monitored MPPs and how many are in each public status in the latest week. */
  async provinces(): Promise<{ week: string | null; provinces: PublicProvinceView[] }> {
    const weeks = await this.queries.stripWeeks(STRIP_WEEKS);
    const latest = weeks[weeks.length - 1];
    const rows = await this.queries.provinceCounts(weeks);
    const byCode = new Map<string, PublicProvinceView>();
    for (const row of rows) {
      const province = byCode.get(row.provinceCode) ?? {
        code: row.provinceCode,
        name: row.provinceName,
        total: 0,
        counts: Object.fromEntries(PUBLIC_STATUSES.map((s) => [s, 0])) as PublicProvinceView['counts'],
      };
      province.counts[publicStatus({ result: row.result, disputeConfirmed: row.confirmed, retired: row.retired })] += row.n;
      province.total += row.n;
      byCode.set(row.provinceCode, province);
    }
    return { week: latest?.week ?? null, provinces: [...byCode.values()].sort((a, b) => a.name.localeCompare(b.name)) };
  }

  /**
   * What the public data was read from, in three index-sized lookups rather than a max() over every
   * evaluation (5 million rows at 100,000 MPPs × 52 weeks):
   * - every evaluation run, whole-cycle or partial (late check-in, correction, closure decision,
   *   retirement), rewrites its week's `report_weekly` rows with `computed_at` = the run's time in
   *   the same transaction, so the newest `computed_at` moves whenever a result (or the set of
   *   evaluated weeks in the strip) can have changed; that table holds ~38 rows per week;
   * - a bureau's confirmation of a dispute changes no result, only `dispute_confirmed_at`
   *   (a partial index holds just the confirmed rows);
   * - names, addresses, opening days, tenants' services and retirement move `mpps.updated_at`.
   * Region names are reference data, changed only by a deploy, which also changes the template version.
   * Concurrent callers share one query, and its answer for VERSION_TTL_MS.
   */
  version(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.latest && now - this.latest.at < VERSION_TTL_MS && now >= this.latest.at) return this.latest.version;
    const version = this.queries.dataVersion();
    this.latest = { at: now, version };
    version.catch(() => {
      if (this.latest?.version === version) this.latest = undefined; // a failed read is not reused
    });
    return version;
  }

  private async read(filter: { province?: string; id?: string }): Promise<PublicMppView[]> {
    const rows = await this.queries.mpps(await this.queries.stripWeeks(STRIP_WEEKS), filter);
    return rows.map(({ weeks: strip, ...mpp }) => {
      const statuses = strip.map((w) => ({
        week: w.week,
        status: publicStatus({ result: w.result, disputeConfirmed: w.confirmed, retired: w.retired }),
      }));
      const latest = statuses[statuses.length - 1];
      return { ...mpp, week: latest?.week ?? null, status: latest?.status ?? 'no_report', weeks: statuses };
    });
  }
}
