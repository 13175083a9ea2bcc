import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { placeName } from '../../common/i18n/place-name';
import { AppError } from '../../common/errors';
import { RateLimiter, type Limit } from '../../common/rate-limiter';
import { localDate } from '../../common/time/iso-week';
import { MppsService } from '../mpps/mpps.service';
import { AppConfig } from '../../config/app-config';
import { parseReport } from './citizen-report.rules';
import type { CreateCitizenReportDto } from './citizen-reports.dto';
import { renderPoster } from './poster';
import { CitizenReportsRepository } from './citizen-reports.repository';
import { ProofOfWork } from './proof-of-work';

/** Per client (address): a few reports an hour. Per MPP: a crowd at the door, not a flood. */
const PER_CLIENT = { max: 5, windowSeconds: 3600 };
const PER_MPP = { max: 60, windowSeconds: 3600 };

/**
 * Citizens' reports, without a third party: a solved proof-of-work challenge (each usable once),
 * token buckets per client and per MPP, and one report per client, MPP, day and kind. The client's
 * address is kept only as a keyed hash.
 */
@Injectable()
export class CitizenReportsService {
  private readonly clientKey: Buffer;
  private readonly appUrl: string;

  constructor(
    // Only to open the transaction that spends the challenge and records the report together.
    @InjectDataSource() private readonly db: DataSource,
    private readonly reports: CitizenReportsRepository,
    private readonly mpps: MppsService,
    private readonly pow: ProofOfWork,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.appUrl = config.appUrl;
    this.clientKey = createHmac('sha256', config.jwt.secret).update('mpp-monitor citizen clients').digest();
  }

  challenge() {
    return this.pow.challenge();
  }

  async submit(mppId: string, dto: CreateCitizenReportDto, ip: string): Promise<{ accepted: true }> {
    const timezone = await this.mpps.timezoneOfUnretired(mppId);
    if (!timezone) throw AppError.notFound('MPP');
    const report = parseReport(dto ?? {}, localDate(this.clock.now(), timezone));
    if ('problems' in report) throw AppError.validation(report.problems.map((p) => `${p.field} ${p.problem}`).join('; '), report.problems);
    if (!(await this.pow.verify(dto.altcha)))
      throw AppError.validation('altcha must be a solved, unexpired challenge', [{ field: 'altcha', problem: 'must be solved' }]);
    const client = createHmac('sha256', this.clientKey).update(ip).digest();
    await this.limiter.hit(this.limits(client.toString('base64url'), mppId));
    await this.db.transaction(async (tx) => {
      if (!(await this.pow.spend(tx, dto.altcha)))
        throw AppError.validation('altcha was used already', [{ field: 'altcha', problem: 'was used already' }]);
      // A repeat of the same client, MPP, day and kind is accepted and changes nothing.
      await this.reports.insertOnce(tx, { mppId, ...report, clientHash: client }, this.clock.now());
    });
    return { accepted: true };
  }

  /** The A4 poster for the MPP's door, its QR code leading to the report page. */
  poster(mpp: { id: string; name: string; regencyName: string; provinceName: string }): Promise<Buffer> {
    return renderPoster({
      mppName: mpp.name,
      place: `${placeName(mpp.regencyName)}, ${placeName(mpp.provinceName)}`,
      reportUrl: this.reportUrl(mpp.id),
    });
  }

  reportUrl(mppId: string): string {
    return `${this.appUrl}/status/mpp/${mppId}/lapor`;
  }

  private limits(client: string, mppId: string): Limit[] {
    return [
      { key: `citizen-report:client:${client}`, ...PER_CLIENT },
      { key: `citizen-report:mpp:${mppId}`, ...PER_MPP },
    ];
  }
}
