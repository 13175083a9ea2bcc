import { ListPage, pageOf } from '../../common/paging/paging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { canSeeMpp, mppScopeOf, Principal } from '../../common/auth/principal';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError } from '../../common/errors';
import { Clock } from '../../common/clock';
import { localDate } from '../../common/time/iso-week';
import { mppScopeSql } from '../../common/auth/scope-sql';
import { run, sql } from '../../database/sql';
import { likePattern } from '../../common/like-pattern';
import { Mpp } from './mpp.entities';
import { TenantsWriter } from './tenants.writer';
import { coordinateProblems, fieldOf } from './coordinates.rules';
import { CreateMppDto, MppQuery, MppSearchHit, MppView, TenantDto, UpdateMppDto } from './mpps.dto';

const VIEW_SQL = `
  SELECT m.id, m.regency_code AS "regencyCode", r.name AS "regencyName", m.province_code AS "provinceCode",
         p.name AS "provinceName", p.timezone, m.name, m.address, to_char(m.inaugurated_on, 'YYYY-MM-DD') AS "inauguratedOn",
         m.channels, m.opening_days AS "openingDays", m.latitude, m.longitude, m.active, m.created_at AS "createdAt", m.updated_at AS "updatedAt",
         coalesce((SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'services', t.services, 'agencyCode', t.agency_code) ORDER BY t.position)
                     FROM mpp_tenants t WHERE t.mpp_id = m.id), '[]') AS tenants
    FROM mpps m JOIN regencies r ON r.code = m.regency_code JOIN provinces p ON p.code = m.province_code`;

@Injectable()
export class MppsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly tenants: TenantsWriter,
  ) {}

  async create(dto: CreateMppDto): Promise<MppView> {
    assertCoordinates(dto.latitude ?? null, dto.longitude ?? null);
    const provinceCode = await this.provinceOfRegency(dto.regencyCode);
    const id = await this.db.transaction(async (tx) => {
      const mpp = await tx.save(
        Mpp,
        tx.create(Mpp, {
          regencyCode: dto.regencyCode,
          provinceCode,
          name: dto.name,
          address: dto.address ?? null,
          inauguratedOn: dto.inauguratedOn ?? null,
          channels: dto.channels,
          openingDays: sortDays(dto.openingDays ?? [1, 2, 3, 4, 5]),
          latitude: dto.latitude ?? null,
          longitude: dto.longitude ?? null,
          active: true,
          tenantCount: dto.tenants.length,
        }),
      );
      await this.replaceTenants(tx, mpp.id, dto.tenants);
      await this.audit.record(tx, 'mpp.create', 'mpp', mpp.id, null, auditedFields(await this.view(mpp.id, tx)));
      return mpp.id;
    });
    return this.view(id);
  }

  async list(user: Principal, query: MppQuery): Promise<MppView[]> {
    return (await this.listPage(user, query)).rows;
  }

  /** The registry in scope, by province, regency and name: whole, or with `limit` a page of it. */
  async listPage(user: Principal, query: MppQuery): Promise<ListPage<MppView>> {
    const scope = mppScopeOf(user);
    const where = `
        WHERE ($1::text IS NULL OR m.province_code = $1)
          AND ($2::text IS NULL OR m.regency_code = $2)
          AND ($3::text IS NULL OR m.province_code = $3)
          AND ($4::uuid[] IS NULL OR m.id = ANY($4))
          AND ($5::text IS NULL OR EXISTS (
                SELECT 1 FROM evaluations e
                 WHERE e.mpp_id = m.id AND e.result = $5
                   AND e.week = (SELECT week FROM cycles WHERE evaluated_at IS NOT NULL ORDER BY week_start DESC LIMIT 1)))`;
    const params = [
      query.province ?? null,
      query.regency ?? null,
      scope.kind === 'province' ? scope.provinceCode : null,
      scope.kind === 'mpps' ? scope.mppIds : null,
      query.result ?? null,
    ];
    const order = 'ORDER BY m.province_code, m.regency_code, m.name, m.id';
    if (!query.limit) {
      const rows = (await this.db.query(`${VIEW_SQL} ${where} ${order}`, params)).map(toView);
      return { rows, total: rows.length };
    }
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM mpps m ${where}`, params);
    const paging = pageOf(total, query.page, query.limit);
    const rows = await this.db.query(`${VIEW_SQL} ${where} ${order} LIMIT $6 OFFSET $7`, [...params, paging.limit, paging.offset]);
    return { rows: rows.map(toView), total };
  }

  /** MPPs whose name or regency contains the text, in the user's scope (the admin's search box). */
  search(user: Principal, text: string, limit: number): Promise<MppSearchHit[]> {
    const pattern = likePattern(text);
    return run<MppSearchHit>(
      this.db,
      sql`SELECT m.id, m.name, r.name AS "regencyName", p.name AS "provinceName"
            FROM mpps m JOIN regencies r ON r.code = m.regency_code JOIN provinces p ON p.code = m.province_code
           WHERE (m.name ILIKE ${pattern} OR r.name ILIKE ${pattern})
             AND ${mppScopeSql(mppScopeOf(user), { mppId: 'm.id', provinceCode: 'm.province_code' })}
           ORDER BY m.name, r.name LIMIT ${limit}`,
    );
  }

  /** The named MPPs (in the user's scope) as search hits: a manager's MPPs on the admin page. */
  summaries(user: Principal, ids: string[]): Promise<MppSearchHit[]> {
    if (!ids.length) return Promise.resolve([]);
    return run<MppSearchHit>(
      this.db,
      sql`SELECT m.id, m.name, r.name AS "regencyName", p.name AS "provinceName"
            FROM mpps m JOIN regencies r ON r.code = m.regency_code JOIN provinces p ON p.code = m.province_code
           WHERE m.id = ANY(${ids}::uuid[]) AND ${mppScopeSql(mppScopeOf(user), { mppId: 'm.id', provinceCode: 'm.province_code' })}
           ORDER BY m.name, r.name`,
    );
  }

  async get(user: Principal, id: string): Promise<MppView> {
    const mpp = await this.view(id);
    await this.assertVisible(user, id, mpp);
    return mpp;
  }

  async update(id: string, dto: UpdateMppDto): Promise<MppView> {
    const current = await this.db.getRepository(Mpp).findOneBy({ id });
    if (!current) throw AppError.notFound('MPP');
    assertCoordinates(
      dto.latitude !== undefined ? dto.latitude : current.latitude,
      dto.longitude !== undefined ? dto.longitude : current.longitude,
    );
    const before = auditedFields(await this.view(id));
    const provinceCode = dto.regencyCode ? await this.provinceOfRegency(dto.regencyCode) : current.provinceCode;
    await this.db.transaction(async (tx) => {
      await tx.update(
        Mpp,
        { id },
        {
          ...(dto.regencyCode !== undefined ? { regencyCode: dto.regencyCode, provinceCode } : {}),
          ...(dto.name !== undefined ? { name: dto.name } : {}),
          ...(dto.address !== undefined ? { address: dto.address } : {}),
          ...(dto.inauguratedOn !== undefined ? { inauguratedOn: dto.inauguratedOn } : {}),
          ...(dto.channels !== undefined ? { channels: dto.channels } : {}),
          ...(dto.openingDays !== undefined ? { openingDays: sortDays(dto.openingDays) } : {}),
          ...(dto.latitude !== undefined ? { latitude: dto.latitude } : {}),
          ...(dto.longitude !== undefined ? { longitude: dto.longitude } : {}),
          ...(dto.active !== undefined ? { active: dto.active } : {}),
          updatedAt: new Date(),
        },
      );
      // Deactivating is retiring today (reactivating undoes it); POST .../retire names the date and reason.
      if (dto.active !== undefined)
        await tx.query(`UPDATE mpps SET retired_on = CASE WHEN active THEN NULL ELSE coalesce(retired_on, $2::date) END WHERE id = $1`, [
          id,
          localDate(this.clock.now(), 'Asia/Jakarta'),
        ]);
      if (dto.tenants) await this.replaceTenants(tx, id, dto.tenants);
      // A flag belongs to its MPP: moved to another province, its flags go to that province's bureau.
      if (provinceCode !== current.provinceCode)
        await tx.query(`UPDATE flags SET province_code = $2 WHERE mpp_id = $1`, [id, provinceCode]);
      await this.audit.record(tx, 'mpp.update', 'mpp', id, before, auditedFields(await this.view(id, tx)));
    });
    return this.view(id);
  }

  /**
   * The one place that answers "may this principal see this MPP?"; out of scope is 404, exactly
   * like a missing MPP, so its existence is not revealed.
   */
  async assertVisible(user: Principal, id: string, known?: { provinceCode: string }): Promise<{ id: string; provinceCode: string }> {
    const mpp = known ?? (await this.db.getRepository(Mpp).findOne({ where: { id }, select: { id: true, provinceCode: true } }));
    if (!mpp) throw AppError.notFound('MPP');
    if (!canSeeMpp(user, { id, provinceCode: mpp.provinceCode })) throw AppError.notFound('MPP');
    return { id, provinceCode: mpp.provinceCode };
  }

  private async view(id: string, tx: EntityManager = this.db.manager): Promise<MppView> {
    const [row] = await tx.query(`${VIEW_SQL} WHERE m.id = $1`, [id]);
    if (!row) throw AppError.notFound('MPP');
    return toView(row);
  }

  private async provinceOfRegency(regencyCode: string): Promise<string> {
    const [row] = await this.db.query('SELECT province_code AS "provinceCode" FROM regencies WHERE code = $1', [regencyCode]);
    if (!row)
      throw AppError.validation(`unknown regency ${regencyCode}`, [{ field: 'regencyCode', problem: `unknown regency ${regencyCode}` }]);
    return row.provinceCode;
  }

  private async replaceTenants(tx: EntityManager, mppId: string, tenants: TenantDto[]): Promise<void> {
    await this.tenants.replace(tx, [{ mppId, tenants }]);
  }
}

/** What an audit record keeps of an MPP: the registry fields, not the timestamps. */
function auditedFields({ createdAt: _c, updatedAt: _u, regencyName: _r, provinceName: _p, ...fields }: MppView): Partial<MppView> {
  return fields;
}

/** Both or neither: a latitude alone (or one left over from before) is no place. */
function assertCoordinates(latitude: number | null, longitude: number | null): void {
  const problems = coordinateProblems(latitude, longitude);
  if (problems.length)
    throw AppError.validation(
      'latitude and longitude must be given together, within Indonesia',
      problems.map((p) => ({ field: fieldOf(p), problem: p })),
    );
}

function sortDays(days: number[]): number[] {
  return [...days].sort((a, b) => a - b);
}

function toView(row: MppView & { createdAt: Date; updatedAt: Date }): MppView {
  return { ...row, createdAt: new Date(row.createdAt).toISOString(), updatedAt: new Date(row.updatedAt).toISOString() };
}
