import type { EntityManager } from 'typeorm';
import { EvaluationResult, RESULTS } from '../cycles/evaluation.rules';
import type { WeeklyFigures } from '../notifications/notification.types';

export type ProvinceFigures = WeeklyFigures & { provinceCode: string; name: string };

/**
 * DHIS2's completeness measures on one week's evaluations, per province, in one grouped query:
 * expected = MPPs evaluated and not excused; reported and on time counted among those.
 */
export async function weeklyProvinceFigures(db: EntityManager, week: string, provinceCode: string | null = null): Promise<ProvinceFigures[]> {
  const rows: (Record<string, number> & { provinceCode: string; name: string })[] = await db.query(
    `SELECT e.province_code AS "provinceCode", p.name,
            count(*) FILTER (WHERE e.result <> 'excused')::int AS expected,
            count(*) FILTER (WHERE e.result <> 'excused' AND e.reported)::int AS reported,
            count(*) FILTER (WHERE e.result <> 'excused' AND e.on_time)::int AS "onTime",
            ${RESULTS.map((r) => `count(*) FILTER (WHERE e.result = '${r}')::int AS "${r}"`).join(', ')},
            (SELECT count(*) FROM flags f WHERE f.province_code = e.province_code AND f.state <> 'resolved')::int AS "openFlags"
       FROM evaluations e JOIN provinces p ON p.code = e.province_code
      WHERE e.week = $1 AND ($2::text IS NULL OR e.province_code = $2)
      GROUP BY e.province_code, p.name
      ORDER BY e.province_code`,
    [week, provinceCode],
  );
  return rows.map((r) => ({
    provinceCode: r.provinceCode,
    name: r.name,
    ...figures(r.expected, r.reported, r.onTime, Object.fromEntries(RESULTS.map((x) => [x, r[x]])) as Record<EvaluationResult, number>, r.openFlags),
  }));
}

/** National totals: the sum of the provinces (rates recomputed from the sums, not averaged). */
export function nationalFigures(provinces: WeeklyFigures[]): WeeklyFigures {
  const sum = (f: (p: WeeklyFigures) => number) => provinces.reduce((a, p) => a + f(p), 0);
  const counts = Object.fromEntries(RESULTS.map((r) => [r, sum((p) => p.counts[r])])) as Record<EvaluationResult, number>;
  return figures(sum((p) => p.expected), sum((p) => p.reported), sum((p) => p.onTime), counts, sum((p) => p.openFlags));
}

function figures(expected: number, reported: number, onTime: number, counts: Record<EvaluationResult, number>, openFlags: number): WeeklyFigures {
  return {
    expected, reported, onTime,
    reportingRate: expected ? reported / expected : null,
    onTimeRate: expected ? onTime / expected : null,
    counts, openFlags,
  };
}
