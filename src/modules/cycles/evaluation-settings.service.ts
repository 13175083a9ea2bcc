import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import type { Principal } from '../../common/auth/principal';
import { DEFAULT_SETTINGS, EvaluationSettings } from './evaluation.rules';
import { UpdateEvaluationSettingsDto } from './cycles.dto';

/** Evaluation thresholds live in the database; every change is appended to settings_audit. */
@Injectable()
export class EvaluationSettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async get(tx: EntityManager = this.db.manager): Promise<EvaluationSettings> {
    return readEvaluationSettings(tx);
  }

  async update(user: Principal, dto: UpdateEvaluationSettingsDto): Promise<EvaluationSettings> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(`SELECT value FROM settings WHERE key = 'evaluation' FOR UPDATE`);
      const before = current(row?.value);
      // DTO instances carry every declared field, absent ones as undefined: keep only what was sent.
      const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      const after = { ...before, ...changes };
      await tx.query(
        `INSERT INTO settings (key, value, updated_at, updated_by) VALUES ('evaluation', $1, now(), $2)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
        [JSON.stringify(after), user.id],
      );
      await tx.query(`INSERT INTO settings_audit (key, before, after, by_user) VALUES ('evaluation', $1, $2, $3)`, [
        JSON.stringify(before),
        JSON.stringify(after),
        user.id,
      ]);
      await this.audit.record(tx, 'settings.evaluation.update', 'settings', 'evaluation', before, after, user);
      return after;
    });
  }

  history(): Promise<unknown[]> {
    return this.db.query(
      `SELECT a.id, a.before, a.after, a.at, u.email AS "byEmail"
         FROM settings_audit a LEFT JOIN users u ON u.id = a.by_user WHERE a.key = 'evaluation' ORDER BY a.id DESC LIMIT 100`,
    );
  }
}

/** The current thresholds, for features that read them inside their own transaction (flags, notifications). */
export async function readEvaluationSettings(tx: EntityManager): Promise<EvaluationSettings> {
  const [row] = await tx.query(`SELECT value FROM settings WHERE key = 'evaluation'`);
  return current(row?.value);
}

/** The defaults overlaid with what is stored; keys no longer used (reEscalateAfterWeeks, before issue 16) are dropped. */
function current(stored: Record<string, unknown> | undefined): EvaluationSettings {
  const known = Object.entries(stored ?? {}).filter(([key]) => key in DEFAULT_SETTINGS);
  return { ...DEFAULT_SETTINGS, ...Object.fromEntries(known) };
}
