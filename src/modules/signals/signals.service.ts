import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import type { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors';
import { localDate } from '../../common/time/iso-week';
import type { IndonesianTimezone } from '../../common/time/timezones';
import { AppConfig } from '../../config/app-config';
import { MppsService } from '../mpps/mpps.service';
import { parsePing, PingInput } from './signal.rules';
import { CreateSignalSourceDto, SignalSourceView } from './signals.dto';

const VIEW = `s.id, s.mpp_id AS "mppId", s.name, s.created_at AS "createdAt", s.rotated_at AS "rotatedAt", s.revoked_at AS "revokedAt",
  (SELECT max(d.last_ping_at) FROM signal_days d WHERE d.source_id = s.id) AS "lastPingAt"`;

const hashOf = (token: string) => createHash('sha256').update(token).digest();

/**
 * Activity sources of an MPP and their pings. A source's URL carries a random token; only its
 * hash is stored, so the URL is shown once (on creation or rotation) and never again.
 */
@Injectable()
export class SignalsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mpps: MppsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async create(user: Principal, mppId: string, dto: CreateSignalSourceDto): Promise<SignalSourceView & { pingUrl: string }> {
    await this.assertMayManage(user, mppId);
    const token = randomBytes(24).toString('base64url');
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO signal_sources (mpp_id, name, token_hash, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
        [mppId, dto.name, hashOf(token), user.id],
      );
      await this.audit.record(tx, 'signal_source.create', 'signal_source', row.id, null, { mppId, name: dto.name });
      const [view] = await tx.query(`SELECT ${VIEW} FROM signal_sources s WHERE s.id = $1`, [row.id]);
      return { ...view, pingUrl: this.urlOf(token) };
    });
  }

  async list(user: Principal, mppId: string): Promise<SignalSourceView[]> {
    await this.mpps.assertVisible(user, mppId);
    return this.db.query(`SELECT ${VIEW} FROM signal_sources s WHERE s.mpp_id = $1 ORDER BY s.created_at`, [mppId]);
  }

  /** A new URL for the source; the old one stops working at once. */
  async rotate(user: Principal, mppId: string, sourceId: string): Promise<SignalSourceView & { pingUrl: string }> {
    await this.assertMayManage(user, mppId);
    const token = randomBytes(24).toString('base64url');
    return this.db.transaction(async (tx) => {
      // An UPDATE answers [rows, count] through TypeORM.
      const [updated] = await tx.query(
        `UPDATE signal_sources SET token_hash = $3, rotated_at = $4 WHERE id = $1 AND mpp_id = $2 AND revoked_at IS NULL RETURNING id`,
        [sourceId, mppId, hashOf(token), this.clock.now()],
      );
      if (!updated?.length) throw AppError.notFound('Signal source');
      await this.audit.record(tx, 'signal_source.rotate', 'signal_source', sourceId, null, { mppId });
      const [view] = await tx.query(`SELECT ${VIEW} FROM signal_sources s WHERE s.id = $1`, [sourceId]);
      return { ...view, pingUrl: this.urlOf(token) };
    });
  }

  /** The source's URL stops working for good; its days stay as evidence. */
  async revoke(user: Principal, mppId: string, sourceId: string): Promise<void> {
    await this.assertMayManage(user, mppId);
    await this.db.transaction(async (tx) => {
      const [rows] = await tx.query(
        `UPDATE signal_sources SET revoked_at = $3 WHERE id = $1 AND mpp_id = $2 AND revoked_at IS NULL RETURNING id`,
        [sourceId, mppId, this.clock.now()],
      );
      if (!rows?.length) throw AppError.notFound('Signal source');
      await this.audit.record(tx, 'signal_source.revoke', 'signal_source', sourceId, null, { mppId });
    });
  }

  /** A machine's ping: 404 for an unknown or revoked token (nothing said about why). */
  async ping(
    token: string,
    input: PingInput,
  ): Promise<{ mppId: string; date: string; pings: number; tickets: number | null; transactions: number | null }> {
    if (token.length > 100) throw AppError.notFound('Signal source');
    const [source]: { id: string; mppId: string; timezone: IndonesianTimezone }[] = await this.db.query(
      `SELECT s.id, s.mpp_id AS "mppId", p.timezone
         FROM signal_sources s JOIN mpps m ON m.id = s.mpp_id JOIN provinces p ON p.code = m.province_code
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL`,
      [hashOf(token)],
    );
    if (!source) throw AppError.notFound('Signal source');
    const ping = parsePing(input, localDate(this.clock.now(), source.timezone));
    if ('problems' in ping) throw AppError.validation(ping.problems.map((p) => `${p.field} ${p.problem}`).join('; '), ping.problems);
    // Counts are the day's running totals as the machine last saw them: keep the highest.
    const [day] = await this.db.query(
      `INSERT INTO signal_days AS d (source_id, mpp_id, date, pings, tickets, transactions, last_ping_at)
       VALUES ($1, $2, $3, 1, $4, $5, $6)
       ON CONFLICT (source_id, date) DO UPDATE
          SET pings = d.pings + 1,
              tickets = greatest(d.tickets, EXCLUDED.tickets),
              transactions = greatest(d.transactions, EXCLUDED.transactions),
              last_ping_at = EXCLUDED.last_ping_at
       RETURNING to_char(date, 'YYYY-MM-DD') AS date, pings, tickets, transactions`,
      [source.id, source.mppId, ping.date, ping.tickets, ping.transactions, this.clock.now()],
    );
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
