import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import type { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors';
import { localDate } from '../../common/time/iso-week';
import { timezoneOfProvince } from '../../common/time/timezones';
import { SignalsRepository } from './signals.repository';
import { AppConfig } from '../../config/app-config';
import { MppsService } from '../mpps/mpps.service';
import { parsePing, PingInput } from './signal.rules';
import { CreateSignalSourceDto, SignalSourceView } from './signals.dto';

const hashOf = (token: string) => createHash('sha256').update(token).digest();

/**
 * Activity sources of an MPP and their pings. A source's URL carries a random token; only its
 * hash is stored, so the URL is shown once (on creation or rotation) and never again.
 */
@Injectable()
export class SignalsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly signals: SignalsRepository,
    private readonly mpps: MppsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async create(user: Principal, mppId: string, dto: CreateSignalSourceDto): Promise<SignalSourceView & { pingUrl: string }> {
    await this.assertMayManage(user, mppId);
    const token = randomBytes(24).toString('base64url');
    return this.db.transaction(async (tx) => {
      const id = await this.signals.insertSource(tx, mppId, dto.name, hashOf(token), user.id);
      await this.audit.record(tx, 'signal_source.create', 'signal_source', id, null, { mppId, name: dto.name });
      return { ...(await this.signals.view(tx, id)), pingUrl: this.urlOf(token) };
    });
  }

  async list(user: Principal, mppId: string): Promise<SignalSourceView[]> {
    await this.mpps.assertVisible(user, mppId);
    return this.signals.listOfMpp(mppId);
  }

  /** A new URL for the source; the old one stops working at once. */
  async rotate(user: Principal, mppId: string, sourceId: string): Promise<SignalSourceView & { pingUrl: string }> {
    await this.assertMayManage(user, mppId);
    const token = randomBytes(24).toString('base64url');
    return this.db.transaction(async (tx) => {
      if (!(await this.signals.replaceToken(tx, mppId, sourceId, hashOf(token), this.clock.now())))
        throw AppError.notFound('Signal source');
      await this.audit.record(tx, 'signal_source.rotate', 'signal_source', sourceId, null, { mppId });
      return { ...(await this.signals.view(tx, sourceId)), pingUrl: this.urlOf(token) };
    });
  }

  /** The source's URL stops working for good; its days stay as evidence. */
  async revoke(user: Principal, mppId: string, sourceId: string): Promise<void> {
    await this.assertMayManage(user, mppId);
    await this.db.transaction(async (tx) => {
      if (!(await this.signals.revoke(tx, mppId, sourceId, this.clock.now()))) throw AppError.notFound('Signal source');
      await this.audit.record(tx, 'signal_source.revoke', 'signal_source', sourceId, null, { mppId });
    });
  }

  /** A machine's ping: 404 for an unknown or revoked token (nothing said about why). */
  async ping(
    token: string,
    input: PingInput,
  ): Promise<{ mppId: string; date: string; pings: number; tickets: number | null; transactions: number | null }> {
    if (token.length > 100) throw AppError.notFound('Signal source');
    const source = await this.signals.activeByTokenHash(hashOf(token));
    if (!source) throw AppError.notFound('Signal source');
    const ping = parsePing(input, localDate(this.clock.now(), timezoneOfProvince(source.provinceCode)));
    if ('problems' in ping) throw AppError.validation(ping.problems.map((p) => `${p.field} ${p.problem}`).join('; '), ping.problems);
    const day = await this.signals.recordPing(source, ping, this.clock.now());
    return { mppId: source.mppId, ...day };
  }

  private urlOf(token: string): string {
    return `${this.config.appUrl}/ping/${token}`;
  }

  /** Admins, and the MPP's own managers; anyone else who may see it gets 403, the rest 404. */
  private async assertMayManage(user: Principal, mppId: string): Promise<void> {
    await this.mpps.assertVisible(user, mppId);
    if (user.role !== 'admin' && user.role !== 'manager')
      throw AppError.forbidden('Only an admin or the MPP’s manager manages its signal sources');
  }
}
