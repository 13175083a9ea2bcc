import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError } from '../../common/errors';
import { agencyMatcher } from '../agencies/agency.rules';
import { AgenciesService } from '../agencies/agencies.service';
import { AccountsService } from '../users/accounts.service';
import { TenantsWriter } from '../mpps/tenants.writer';
import { MppsRepository, RegistryFields, RegistryMpp } from '../mpps/mpps.repository';
import { RegionsRepository } from '../regions/regions.repository';
import { UsersRepository } from '../users/users.repository';
import { run, sql } from '../../database/sql';
import { ImportResult, RowOutcome } from './registry.dto';
import { csvOf, readTable, RegistryFormat, xlsxOf } from './registry-files';
import { CHANNEL_WORDS, formatDays, formatTenants, parseRegistry, REGISTRY_COLUMNS, RegistryError, RegistryRow } from './registry.rules';

/** One import at a time: two operators uploading together would otherwise both create the same MPPs. */
const IMPORT_LOCK = 727_017;

const ROLE_WORDS: Record<string, string> = { admin: 'admin', ministry: 'kementerian', bureau: 'biro organisasi', manager: 'pengelola' };

interface Plan {
  result: ImportResult;
  creates: RegistryRow[];
  updates: { id: string; row: RegistryRow }[];
  /** MPPs (by id, or by row for new ones) whose tenant list is written. */
  tenantRows: RegistryRow[];
  newManagers: { email: string; name: string; phone: string | null }[];
  changedManagers: { id: string; name: string; phone: string | null }[];
  links: { email: string; row: RegistryRow }[];
  existingIds: Map<RegistryRow, string>;
}

export interface RegistryFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/**
 * The registry as a spreadsheet, for onboarding a province (or the nation) in one go. A row is one
 * MPP matched on regency code + name; its tenants are replaced by the file's, its managers added
 * (and invited when new; managers not in the file keep their access). Checked whole first: any
 * row error and nothing is written. The writes are a handful of set-based statements in one
 * transaction, whatever the number of rows.
 */
@Injectable()
export class RegistryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mpps: MppsRepository,
    private readonly users: UsersRepository,
    private readonly regions: RegionsRepository,
    private readonly agencies: AgenciesService,
    private readonly accounts: AccountsService,
    private readonly tenants: TenantsWriter,
    private readonly audit: AuditLog,
  ) {}

  async import(body: unknown, format: RegistryFormat, dryRun: boolean): Promise<ImportResult> {
    if (!Buffer.isBuffer(body) || !body.length)
      throw AppError.validation('The body must be the registry file', [{ field: 'body', problem: 'berkas kosong' }]);
    const table = await readTable(body, format).catch(() => {
      throw AppError.validation(format === 'xlsx' ? 'The file is not a readable XLSX workbook' : 'The file is not readable CSV', [
        { field: 'body', problem: format === 'xlsx' ? 'berkas bukan XLSX yang dapat dibaca' : 'berkas bukan CSV yang dapat dibaca' },
      ]);
    });
    const parsed = parseRegistry(table);
    let invitations: string[] = [];
    const result = await this.db.transaction(async (tx) => {
      await run(tx, sql`SELECT pg_advisory_xact_lock(${IMPORT_LOCK})`);
      const plan = await this.plan(tx, parsed.rows, parsed.errors, dryRun);
      if (dryRun || plan.result.errors.length) return plan.result;
      invitations = await this.write(tx, plan);
      return plan.result;
    });
    await this.accounts.dispatch(invitations);
    return result;
  }

  async export(format: RegistryFormat): Promise<RegistryFile> {
    const rows = await this.exportRows();
    return this.file('mpp-registri', format, rows);
  }

  template(format: RegistryFormat): Promise<RegistryFile> {
    return this.file('mpp-registri-templat', format, []);
  }

  private async file(name: string, format: RegistryFormat, rows: string[][]): Promise<RegistryFile> {
    return format === 'xlsx'
      ? {
          filename: `${name}.xlsx`,
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          body: await xlsxOf(REGISTRY_COLUMNS, rows),
        }
      : { filename: `${name}.csv`, contentType: 'text/csv; charset=utf-8', body: csvOf(REGISTRY_COLUMNS, rows) };
  }

  private async exportRows(): Promise<string[][]> {
    const [all, managersOf] = [await this.mpps.registryAll(), await this.users.managersByMpp()];
    const mpps = all.map((m) => ({ ...m, managers: managersOf.get(m.id) ?? [] }));
    return mpps.map((m) => [
      m.regencyCode,
      m.name,
      m.address ?? '',
      m.inauguratedOn ?? '',
      formatDays(m.openingDays),
      CHANNEL_WORDS.filter(([, code]) => m.channels.includes(code))
        .map(([word]) => word)
        .join(';'),
      formatTenants(m.tenants),
      m.managers.map((u) => u.email).join(';'),
      m.managers.map((u) => u.name).join(';'),
      m.managers.some((u) => u.phone) ? m.managers.map((u) => u.phone ?? '').join(';') : '',
      m.latitude === null ? '' : String(m.latitude),
      m.longitude === null ? '' : String(m.longitude),
    ]);
  }

  /** What the file would change, and every row problem; reads only. */
  private async plan(tx: EntityManager, rows: RegistryRow[], fileErrors: RegistryError[], dryRun: boolean): Promise<Plan> {
    const errors = [...fileErrors];
    const regencies = await this.regions.knownRegencies([...new Set(rows.map((r) => r.regencyCode))], tx);
    const existing = await this.mpps.registryMatches(
      tx,
      rows.map((r) => ({ regencyCode: r.regencyCode, name: r.name.toLowerCase() })),
    );
    const byKey = new Map<string, RegistryMpp[]>();
    for (const m of existing) byKey.set(keyOf(m), [...(byKey.get(keyOf(m)) ?? []), m]);
    const emails = [...new Set(rows.flatMap((r) => (r.managers ?? []).map((m) => m.email)))];
    const users = await this.users.byEmails(tx, emails);
    const userOf = new Map(users.map((u) => [u.email, u]));
    const agencyOf = agencyMatcher(await this.agencies.list(tx));

    const plan: Plan = {
      result: {
        dryRun,
        rows: rows.length + new Set(fileErrors.filter((e) => e.row > 1).map((e) => e.row)).size,
        created: 0,
        updated: 0,
        unchanged: 0,
        managersInvited: 0,
        managersLinked: 0,
        unmatchedTenants: [],
        outcomes: [],
        errors,
      },
      creates: [],
      updates: [],
      tenantRows: [],
      newManagers: [],
      changedManagers: [],
      links: [],
      existingIds: new Map(),
    };
    const unmatched = new Map<string, number[]>();
    const managerSeen = new Map<string, { name: string | null; phone?: string | null }>();
    for (const row of rows) {
      const problem = (column: string, text: string) => errors.push({ row: row.row, column, problem: text });
      if (!regencies.has(row.regencyCode))
        problem('kode_wilayah', `kode wilayah ${row.regencyCode} tidak dikenal (kode Kemendagri, mis. 53.71)`);
      const matches = byKey.get(keyOf(row)) ?? [];
      if (matches.length > 1) problem('nama_mpp', `registri memuat lebih dari satu MPP bernama "${row.name}" di wilayah ini`);
      for (const m of row.managers ?? []) {
        const user = userOf.get(m.email);
        if (user && user.role !== 'manager')
          problem('email_pengelola', `email ${m.email} sudah dipakai pengguna dengan peran ${ROLE_WORDS[user.role] ?? user.role}`);
        if (!user && !m.name && !managerSeen.get(m.email)?.name)
          problem('nama_pengelola', `nama pengelola wajib diisi untuk akun baru ${m.email}`);
        const first = managerSeen.get(m.email);
        managerSeen.set(m.email, { name: first?.name ?? m.name, phone: first?.phone ?? m.phone });
      }
      for (const t of row.tenants ?? []) if (!agencyOf(t.name)) unmatched.set(t.name, [...(unmatched.get(t.name) ?? []), row.row]);
      if (errors.some((e) => e.row === row.row)) continue;

      const current = matches[0];
      const managersNew = (row.managers ?? []).filter((m) => !current || !userOf.get(m.email)?.mppIds.includes(current.id));
      const outcome = (o: RowOutcome['outcome']) =>
        plan.result.outcomes.push({ row: row.row, regencyCode: row.regencyCode, name: row.name, outcome: o });
      if (!current) {
        plan.creates.push(row);
        plan.tenantRows.push(row);
        plan.result.created++;
        outcome('create');
      } else {
        plan.existingIds.set(row, current.id);
        const fieldsChanged = changedFields(current, row);
        const tenantsChanged = row.tenants !== undefined && JSON.stringify(row.tenants) !== JSON.stringify(current.tenants);
        const managersChanged = (row.managers ?? []).some((m) => {
          const u = userOf.get(m.email);
          return !u || (m.name !== null && u.name !== m.name) || (m.phone !== undefined && u.phone !== m.phone);
        });
        if (fieldsChanged || tenantsChanged) plan.updates.push({ id: current.id, row });
        if (tenantsChanged) plan.tenantRows.push(row);
        if (fieldsChanged || tenantsChanged || managersNew.length || managersChanged) {
          plan.result.updated++;
          outcome('update');
        } else {
          plan.result.unchanged++;
          outcome('unchanged');
        }
      }
      for (const m of managersNew) plan.links.push({ email: m.email, row });
    }
    for (const [email, m] of managerSeen) {
      const user = userOf.get(email);
      if (!user) plan.newManagers.push({ email, name: m.name ?? email, phone: m.phone ?? null });
      else if (user.role === 'manager' && ((m.name !== null && m.name !== user.name) || (m.phone !== undefined && m.phone !== user.phone)))
        plan.changedManagers.push({ id: user.id, name: m.name ?? user.name, phone: m.phone === undefined ? user.phone : m.phone });
    }
    plan.result.managersInvited = plan.newManagers.length;
    plan.result.managersLinked = plan.links.filter((l) => userOf.has(l.email)).length;
    plan.result.unmatchedTenants = [...unmatched]
      .map(([name, rowsOf]) => ({ name, rows: rowsOf }))
      .sort((a, b) => a.name.localeCompare(b.name));
    errors.sort((a, b) => a.row - b.row);
    return plan;
  }

  /** The plan as a few set-based statements; answers the invitation emails' outbox ids. */
  private async write(tx: EntityManager, plan: Plan): Promise<string[]> {
    const ids = new Map(plan.existingIds);
    const created = await this.mpps.insertFromRegistry(tx, plan.creates.map(mppFields));
    const createdByKey = new Map(created.map((c) => [keyOf(c), c.id]));
    for (const row of plan.creates) ids.set(row, createdByKey.get(keyOf(row))!);
    await this.mpps.updateFromRegistry(
      tx,
      plan.updates.map((u) => ({ id: u.id, ...mppFields(u.row) })),
    );
    await this.tenants.replace(
      tx,
      plan.tenantRows.map((r) => ({ mppId: ids.get(r)!, tenants: r.tenants ?? [] })),
    );
    const invited = await this.users.createInvitedManagers(tx, plan.newManagers);
    await this.users.renameMany(tx, plan.changedManagers);
    await this.users.addManagedMpps(
      tx,
      plan.links.map((l) => ({ email: l.email, mppId: ids.get(l.row)! })),
    );
    const { dryRun: _d, errors: _e, outcomes: _o, ...counts } = plan.result;
    await this.audit.record(tx, 'registry.import', 'registry', null, null, {
      ...counts,
      createdMpps: plan.creates.map((r) => ids.get(r)),
      updatedMpps: plan.updates.map((u) => u.id),
      invitedManagers: invited.map((u) => u.email),
    });
    return this.accounts.issue(tx, invited, 'invitation');
  }
}

function keyOf(m: { regencyCode: string; name: string }): string {
  return `${m.regencyCode}|${m.name.toLowerCase()}`;
}

function mppFields(row: RegistryRow): RegistryFields {
  return {
    regencyCode: row.regencyCode,
    name: row.name,
    address: row.address ?? null,
    hasAddress: row.address !== undefined,
    inauguratedOn: row.inauguratedOn ?? null,
    hasDate: row.inauguratedOn !== undefined,
    channels: row.channels ?? null,
    openingDays: row.openingDays ?? null,
    latitude: row.latitude ?? null,
    longitude: row.longitude ?? null,
    hasCoordinates: row.latitude !== undefined,
  };
}

function changedFields(current: RegistryMpp, row: RegistryRow): boolean {
  const same = <T>(given: T | undefined, now: T) => given === undefined || JSON.stringify(given) === JSON.stringify(now);
  return !(
    current.name === row.name &&
    same(row.address, current.address) &&
    same(row.inauguratedOn, current.inauguratedOn) &&
    same(row.latitude, current.latitude) &&
    same(row.longitude, current.longitude) &&
    same(
      row.openingDays,
      [...current.openingDays].sort((a, b) => a - b),
    ) &&
    same(
      row.channels,
      CHANNEL_WORDS.map(([, c]) => c).filter((c) => current.channels.includes(c)),
    )
  );
}
