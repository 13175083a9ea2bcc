import { ListPage, pageOf } from '../../common/paging/paging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { canSeeMpp, mppScopeOf, Principal } from '../../common/auth/principal';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError } from '../../common/errors';
import { Clock } from '../../common/clock';
import { localDate } from '../../common/time/iso-week';
import { KeptValues } from '../../common/kept-values';
import { likePattern } from '../../common/like-pattern';
import type { IndonesianTimezone } from '../../common/time/timezones';
import { FlagsService } from '../flags/flags.service';
import { RegionsRepository } from '../regions/regions.repository';
import { MppRow, MppsRepository } from './mpps.repository';
import { TenantsWriter } from './tenants.writer';
import { coordinateProblems, fieldOf } from './coordinates.rules';
import { CreateMppDto, MppQuery, MppSearchHit, MppView, TenantDto, UpdateMppDto } from './mpps.dto';

/** Registry pages kept (see listJson): at most this many (a province of ~4,300 MPPs is 44 pages of 100), of at most this many rows (~1 kB each). */
const KEPT_PAGES = 64;
const MAX_KEPT_PAGE = 250;

@Injectable()
export class MppsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mpps: MppsRepository,
    private readonly regions: RegionsRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly tenants: TenantsWriter,
    private readonly flags: FlagsService,
  ) {}

  async create(dto: CreateMppDto): Promise<MppView> {
    assertCoordinates(dto.latitude ?? null, dto.longitude ?? null);
    const provinceCode = await this.provinceOfRegency(dto.regencyCode);
    const id = await this.db.transaction(async (tx) => {
      const id = await this.mpps.insert(tx, {
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
      });
      await this.replaceTenants(tx, id, dto.tenants);
      await this.audit.record(tx, 'mpp.create', 'mpp', id, null, auditedFields(await this.view(id, tx)));
      return id;
    });
    return this.view(id);
  }

  async list(user: Principal, query: MppQuery): Promise<MppView[]> {
    return (await this.listPage(user, query)).rows;
  }

  /** The registry in scope, by province, regency and name: whole, or with `limit` a page of it. */
  async listPage(user: Principal, query: MppQuery): Promise<ListPage<MppView>> {
    const filter = { scope: mppScopeOf(user), province: query.province, regency: query.regency, result: query.result };
    if (!query.limit) {
      const rows = await this.mpps.list(filter);
      return { rows, total: rows.length };
    }
    const total = await this.mpps.count(filter);
    const paging = pageOf(total, query.page, query.limit);
    return { rows: await this.mpps.page(filter, paging.limit, paging.offset), total };
  }

  /**
   * GET /mpps's answer, its rows as JSON text. A page of a province's or the whole registry is
   * kept per registry version: bureaus page through ~4,300 MPPs every week, and reading 100 MPPs
   * with their tenants and serializing them cost ~5 ms of CPU per page. A manager's list (it
   * follows their assignments), a `result` filter (it follows evaluations) and the unpaged whole
   * are built for each request.
   */
  async listJson(user: Principal, query: MppQuery): Promise<{ total: number; json: string }> {
    const build = async () => {
      const page = await this.listPage(user, query);
      return { total: page.total, json: JSON.stringify(page.rows) };
    };
    const scope = mppScopeOf(user);
    if (scope.kind === 'mpps' || query.result || !query.limit || query.limit > MAX_KEPT_PAGE) return build();
    const version = await this.mpps.registryVersion();
    if (!version) return build();
    const where = scope.kind === 'province' ? scope.provinceCode : 'all';
    return this.keptPages.get([where, query.province, query.regency, query.limit, query.page ?? 1].join('|'), version, build);
  }

  private readonly keptPages = new KeptValues(KEPT_PAGES);

  /** MPPs whose name or regency contains the text, in the user's scope (the admin's search box). */
  search(user: Principal, text: string, limit: number): Promise<MppSearchHit[]> {
    return this.mpps.search(mppScopeOf(user), likePattern(text), limit);
  }

  /** The named MPPs (in the user's scope) as search hits: a manager's MPPs on the admin page. */
  summaries(user: Principal, ids: string[]): Promise<MppSearchHit[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.mpps.summaries(mppScopeOf(user), ids);
  }

  /** These MPPs, the active ones, by name, with their regency's name and time zone (a manager's list page: the manager's own MPPs). */
  activeWithTimezones(ids: string[]): Promise<{ id: string; name: string; regencyName: string; timezone: IndonesianTimezone }[]> {
    return this.mpps.activeWithTimezones(ids);
  }

  /** The time zone of an MPP not retired (citizens report on it, no login); undefined when there is none. */
  timezoneOfUnretired(id: string): Promise<IndonesianTimezone | undefined> {
    return this.mpps.timezoneOfUnretired(id);
  }

  async get(user: Principal, id: string): Promise<MppView> {
    const mpp = await this.view(id);
    await this.assertVisible(user, id, mpp);
    return mpp;
  }

  async update(id: string, dto: UpdateMppDto): Promise<MppView> {
    const current = await this.mpps.findOne(id);
    if (!current) throw AppError.notFound('MPP');
    assertCoordinates(
      dto.latitude !== undefined ? dto.latitude : current.latitude,
      dto.longitude !== undefined ? dto.longitude : current.longitude,
    );
    const before = auditedFields(await this.view(id));
    const provinceCode = dto.regencyCode ? await this.provinceOfRegency(dto.regencyCode) : current.provinceCode;
    await this.db.transaction(async (tx) => {
      await this.mpps.update(
        tx,
        id,
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
        },
        new Date(),
      );
      // Deactivating is retiring today (reactivating undoes it); POST .../retire names the date and reason.
      if (dto.active !== undefined) await this.mpps.markRetiredWhenInactive(tx, id, localDate(this.clock.now(), 'Asia/Jakarta'));
      if (dto.tenants) await this.replaceTenants(tx, id, dto.tenants);
      // A flag belongs to its MPP: moved to another province, its flags go to that province's bureau.
      // Whenever a regency is given, not only when it differs from the one read before the
      // transaction: a concurrent move (serialised by the row lock the update above took) may
      // have changed it since.
      if (dto.regencyCode !== undefined) await this.flags.moveToProvince(tx, id, provinceCode);
      await this.audit.record(tx, 'mpp.update', 'mpp', id, before, auditedFields(await this.view(id, tx)));
    });
    return this.view(id);
  }

  /**
   * The one place that answers "may this principal see this MPP?"; out of scope is 404, exactly
   * like a missing MPP, so its existence is not revealed.
   */
  async assertVisible(user: Principal, id: string, known?: { provinceCode: string }): Promise<{ id: string; provinceCode: string }> {
    const mpp = known ?? (await this.mpps.provinceOf(id));
    if (!mpp) throw AppError.notFound('MPP');
    if (!canSeeMpp(user, { id, provinceCode: mpp.provinceCode })) throw AppError.notFound('MPP');
    return { id, provinceCode: mpp.provinceCode };
  }

  private async view(id: string, tx: EntityManager = this.db.manager): Promise<MppView> {
    const row = await this.mpps.view(id, tx);
    if (!row) throw AppError.notFound('MPP');
    return toView(row);
  }

  private async provinceOfRegency(regencyCode: string): Promise<string> {
    const provinceCode = await this.regions.provinceOfRegency(regencyCode);
    if (!provinceCode)
      throw AppError.validation(`unknown regency ${regencyCode}`, [{ field: 'regencyCode', problem: `unknown regency ${regencyCode}` }]);
    return provinceCode;
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

function toView(row: MppRow): MppView {
  return { ...row, createdAt: new Date(row.createdAt).toISOString(), updatedAt: new Date(row.updatedAt).toISOString() };
}
