import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { AppError } from '../../common/errors';
import { isCalendarDate, localDate } from '../../common/time/iso-week';
import { CoverageQuery, FormationDto } from './reports.dto';
import { COVERAGE_STATUSES, CoverageStatus, FormationStage } from './reports.types';
import { ReportAnswers } from './report-answers';
import { ReportsService } from './reports.service';
import { RegionsRepository } from '../regions/regions.repository';
import { RegencyFormationRepository } from './regency-formation.repository';
import { ReportsQueries } from './reports.queries';

export interface RegencyCoverage {
  code: string;
  name: string;
  provinceCode: string;
  /** What the ministry counts toward its target: formation stage, or operating/inactive from the registry and evaluation. */
  stage: CoverageStatus;
  /** The stage a bureau recorded for the regency's MPP formation. */
  formationStage: FormationStage;
  stageDate: string | null;
  note: string | null;
  mppId: string | null;
  mppName: string | null;
  mpps: number;
}

type Counts = Record<CoverageStatus, number> & { regencies: number; withMpp: number };

/**
 * Coverage toward an MPP in every regency/city: `operating`/`inactive` come from the registry and
 * the latest evaluated week, the earlier stages from what the provincial bureau records.
 */
@Injectable()
export class CoverageService {
  constructor(
    // Only to open the transaction that records a formation stage with its audit record.
    @InjectDataSource() private readonly db: DataSource,
    private readonly reports: ReportsService,
    private readonly queries: ReportsQueries,
    private readonly formation: RegencyFormationRepository,
    private readonly regions: RegionsRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly answers: ReportAnswers,
  ) {}

  /** Coverage, kept per data version for the scope (ReportAnswers): it reads every regency and MPP. */
  async send(req: FastifyRequest, reply: FastifyReply, user: Principal, query: CoverageQuery): Promise<FastifyReply> {
    const province = this.reports.provinceInScope(user, query.province); // another province: 404 before anything is kept
    const week = await this.reports.latestWeek();
    // Inauguration is judged against today (preparing until the day): the day is part of the key.
    const today = localDate(this.clock.now(), 'Asia/Jakarta');
    const key = `coverage|${week ?? 'none'}|${province ?? 'all'}|${today}`;
    return this.answers.send(req, reply, key, week, () => this.coverage(user, query));
  }

  async coverage(user: Principal, query: CoverageQuery) {
    const province = this.reports.provinceInScope(user, query.province);
    const week = await this.reports.latestWeek();
    const regencies = await this.regencies(province, null, week);
    const provinces = new Map<string, { provinceCode: string; name: string } & Counts>();
    const names = await this.regions.provinceNames(province);
    for (const p of names) provinces.set(p.code, { provinceCode: p.code, name: p.name, ...emptyCounts() });
    // The ministry's count: DKI Jakarta's administrative cities/regency are one unit beside the
    // autonomous regencies/cities the target counts; every regency stays listed.
    const national = emptyCounts();
    const dki: { code: string; name: string; stage: CoverageStatus | null; mpps: number } = {
      code: DKI_PROVINCE,
      name: names.find((p) => p.code === DKI_PROVINCE)?.name ?? 'DKI JAKARTA',
      stage: null,
      mpps: 0,
    };
    for (const r of regencies) {
      count(provinces.get(r.provinceCode)!, r);
      if (r.provinceCode !== DKI_PROVINCE) count(national, r);
      else {
        dki.mpps += r.mpps;
        if (!dki.stage || STAGE_RANK[r.stage] > STAGE_RANK[dki.stage]) dki.stage = r.stage;
      }
    }
    const target = this.config.coverageTarget;
    return {
      week,
      // A province's own view has no national target to measure against.
      national: { ...national, target: province ? null : target, rate: province ? null : national.withMpp / target },
      dki: province && province !== DKI_PROVINCE ? null : dki,
      provinces: [...provinces.values()],
      regencies,
    };
  }

  /** A bureau records its regencies' formation stage; every change goes to the audit log. */
  async setFormation(user: Principal, code: string, dto: FormationDto): Promise<RegencyCoverage> {
    if (dto.date && !isCalendarDate(dto.date)) {
      throw AppError.validation('date is not a calendar date', [{ field: 'date', problem: 'must be a real date (YYYY-MM-DD)' }]);
    }
    const provinceCode = await this.regions.provinceOfRegency(code);
    if (!provinceCode || (user.role === 'bureau' && provinceCode !== user.provinceCode)) throw AppError.notFound('Regency');
    await this.db.transaction(async (tx) => {
      const before = await this.formation.lockOne(tx, code);
      const after = { stage: dto.stage, date: dto.date ?? null, note: dto.note ?? null };
      await this.formation.save(tx, code, after, user.id, this.clock.now());
      await this.audit.record(tx, 'regency.formation.set', 'regency', code, before ?? null, after, user);
    });
    const [row] = await this.regencies(null, code, await this.reports.latestWeek());
    return row;
  }

  private async regencies(province: string | null, code: string | null, week: string | null): Promise<RegencyCoverage[]> {
    const today = localDate(this.clock.now(), 'Asia/Jakarta');
    const rows = await this.queries.regencyCoverage({ province, regency: code, today, week });
    return rows.map(({ operating, inactive, preparing, closed, ...r }) => ({
      ...r,
      stage: operating
        ? 'operating'
        : inactive
          ? 'inactive'
          : preparing
            ? 'preparing'
            : r.formationStage === 'none' && closed
              ? 'closed'
              : r.formationStage,
    }));
  }
}

/** DKI Jakarta: its six regencies/cities are administrative, counted as one unit beside the target. */
export const DKI_PROVINCE = '31';

/** The furthest stage of DKI's units stands for DKI as one. */
const STAGE_RANK: Record<CoverageStatus, number> = { none: 0, closed: 1, committed: 2, preparing: 3, inactive: 4, operating: 5 };

function emptyCounts(): Counts {
  return { regencies: 0, withMpp: 0, ...(Object.fromEntries(COVERAGE_STATUSES.map((s) => [s, 0])) as Record<CoverageStatus, number>) };
}

function count(c: Counts, r: RegencyCoverage): void {
  c.regencies++;
  if (r.mpps) c.withMpp++;
  c[r.stage]++;
}
