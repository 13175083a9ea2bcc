import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import type { Principal } from '../../common/auth/principal';
import { DEFAULT_SETTINGS, EvaluationSettings } from './evaluation.rules';
import { UpdateEvaluationSettingsDto } from './cycles.dto';
import { SettingsRepository, storedSetting } from './settings.repository';
import { UsersRepository } from '../users/users.repository';

/** The row of `settings` holding the evaluation thresholds. */
export const EVALUATION_SETTINGS_KEY = 'evaluation';
const KEY = EVALUATION_SETTINGS_KEY;

/** Evaluation thresholds live in the database; every change is appended to settings_audit. */
@Injectable()
export class EvaluationSettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: SettingsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditLog,
  ) {}

  async get(tx: EntityManager = this.db.manager): Promise<EvaluationSettings> {
    return readEvaluationSettings(tx);
  }

  async update(user: Principal, dto: UpdateEvaluationSettingsDto): Promise<EvaluationSettings> {
    return this.db.transaction(async (tx) => {
      const before = evaluationSettingsOf(await this.settings.lock(tx, KEY));
      // DTO instances carry every declared field, absent ones as undefined: keep only what was sent.
      const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      const after = { ...before, ...changes };
      await this.settings.save(tx, KEY, before, after, user.id);
      await this.audit.record(tx, 'settings.evaluation.update', 'settings', 'evaluation', before, after, user);
      return after;
    });
  }

  async history(): Promise<unknown[]> {
    const changes = await this.settings.history(KEY, 100);
    const emails = await this.users.emailsOf([...new Set(changes.flatMap((c) => (c.byUser ? [c.byUser] : [])))]);
    return changes.map(({ id, before, after, at, byUser }) => ({ id, before, after, at, byEmail: (byUser && emails.get(byUser)) ?? null }));
  }
}

/** The current thresholds, for features that read them inside their own transaction (flags, notifications). */
export async function readEvaluationSettings(tx: EntityManager): Promise<EvaluationSettings> {
  return evaluationSettingsOf(await storedSetting(tx, KEY));
}

/** The defaults overlaid with what is stored; keys no longer used (reEscalateAfterWeeks, before issue 16) are dropped. */
export function evaluationSettingsOf(stored: Record<string, unknown> | null | undefined): EvaluationSettings {
  const known = Object.entries(stored ?? {}).filter(([key]) => key in DEFAULT_SETTINGS);
  return { ...DEFAULT_SETTINGS, ...Object.fromEntries(known) };
}
