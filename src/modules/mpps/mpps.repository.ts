import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { MppScope } from '../../common/auth/principal';
import { mppScopeSql } from '../../common/auth/scope-sql';
import { runPrepared } from '../../database/prepared';
import { one, raw, run, sql, Sql, where } from '../../database/sql';
import { Mpp } from './mpp.entities';
import type { MppSearchHit, MppView } from './mpps.dto';
import type { IndonesianTimezone } from '../../common/time/timezones';

/** An MPP as the API shows it, tenants in their order. */
const VIEW = raw(`
  SELECT m.id, m.regency_code AS "regencyCode", r.name AS "regencyName", m.province_code AS "provinceCode",
         p.name AS "provinceName", p.timezone, m.name, m.address, to_char(m.inaugurated_on, 'YYYY-MM-DD') AS "inauguratedOn",
         m.channels, m.opening_days AS "openingDays", m.latitude, m.longitude, m.active, m.created_at AS "createdAt", m.updated_at AS "updatedAt",
         coalesce((SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'services', t.services, 'agencyCode', t.agency_code) ORDER BY t.position)
                     FROM mpp_tenants t WHERE t.mpp_id = m.id), '[]') AS tenants
    FROM mpps m JOIN regencies r ON r.code = m.regency_code JOIN provinces p ON p.code = m.province_code`);

/**
 * The same MPP as VIEW, built by PostgreSQL as one JSON object per row with its times already ISO
 * text: a page of 100 is then one JSON.parse per row in Node instead of a parser per column and a
 * copy per row (a sixth of the registry page's CPU).
 */
const VIEW_JSON = raw(`
  SELECT json_build_object('id', m.id, 'regencyCode', m.regency_code, 'regencyName', r.name, 'provinceCode', m.province_code,
         'provinceName', p.name, 'timezone', p.timezone, 'name', m.name, 'address', m.address,
         'inauguratedOn', to_char(m.inaugurated_on, 'YYYY-MM-DD'), 'channels', m.channels, 'openingDays', m.opening_days,
         'latitude', m.latitude, 'longitude', m.longitude, 'active', m.active,
         'createdAt', to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'updatedAt', to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'tenants', coalesce((SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'services', t.services, 'agencyCode', t.agency_code) ORDER BY t.position)
                                FROM mpp_tenants t WHERE t.mpp_id = m.id), '[]')) AS mpp
    FROM mpps m JOIN regencies r ON r.code = m.regency_code JOIN provinces p ON p.code = m.province_code`);

const HIT = raw(`SELECT m.id, m.name, r.name AS "regencyName", p.name AS "provinceName"
    FROM mpps m JOIN regencies r ON r.code = m.regency_code JOIN provinces p ON p.code = m.province_code`);

/** An MPP as a registry file row has it. */
const REGISTRY = raw(`
  SELECT m.id, m.regency_code AS "regencyCode", m.name, m.address, to_char(m.inaugurated_on, 'YYYY-MM-DD') AS "inauguratedOn",
         m.opening_days AS "openingDays", m.channels, m.latitude, m.longitude,
         coalesce((SELECT json_agg(json_build_object('name', t.name, 'services', t.services) ORDER BY t.position)
                     FROM mpp_tenants t WHERE t.mpp_id = m.id), '[]') AS tenants
    FROM mpps m`);

/** The columns of RegistryFields (and an id, used by updates), for jsonb_to_recordset. */
const REGISTRY_RECORD = raw(`x(id uuid, "regencyCode" text, name text, address text, "hasAddress" boolean, "inauguratedOn" text,
  "hasDate" boolean, channels text[], "openingDays" smallint[], latitude double precision, longitude double precision, "hasCoordinates" boolean)`);

export interface RegistryMpp {
  id: string;
  regencyCode: string;
  name: string;
  address: string | null;
  inauguratedOn: string | null;
  openingDays: number[];
  channels: string[];
  tenants: { name: string; services: string[] }[];
  latitude: number | null;
  longitude: number | null;
}

/** A registry row's MPP columns; `has…` says whether the file gave the column at all. */
export interface RegistryFields {
  regencyCode: string;
  name: string;
  address: string | null;
  hasAddress: boolean;
  inauguratedOn: string | null;
  hasDate: boolean;
  channels: string[] | null;
  openingDays: number[] | null;
  latitude: number | null;
  longitude: number | null;
  hasCoordinates: boolean;
}

const ORDER = raw('ORDER BY m.province_code, m.regency_code, m.name, m.id');

export type MppRow = MppView & { createdAt: Date; updatedAt: Date };

export interface MppFilter {
  scope: MppScope;
  province?: string;
  regency?: string;
  /** Result in the most recently evaluated cycle. */
  result?: string;
}

export type MppFields = Partial<
  Pick<
    Mpp,
    'regencyCode' | 'provinceCode' | 'name' | 'address' | 'inauguratedOn' | 'channels' | 'openingDays' | 'latitude' | 'longitude' | 'active'
  >
>;

/** The `mpps` table: every query on it. */
@Injectable()
export class MppsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(tx: EntityManager, fields: Omit<Mpp, 'id' | 'createdAt' | 'updatedAt'>): Promise<string> {
    return (await tx.save(Mpp, tx.create(Mpp, fields))).id;
  }

  async update(tx: EntityManager, id: string, fields: MppFields, at: Date): Promise<void> {
    await tx.update(Mpp, { id }, { ...fields, updatedAt: at });
  }

  /**
   * The tenant count kept on each MPP for the weekly evaluation, counted again; a change of tenants
   * is a change of the MPP (the public status and the reports key their versions on updated_at).
   */
  async recountTenants(tx: EntityManager, ids: string[]): Promise<void> {
    await run(
      tx,
      sql`UPDATE mpps m SET tenant_count = (SELECT count(*) FROM mpp_tenants t WHERE t.mpp_id = m.id), updated_at = now()
           WHERE m.id = ANY(${ids}::uuid[])`,
    );
  }

  /** Inactive is retired on `today` unless already retired earlier; active is not retired. */
  async markRetiredWhenInactive(tx: EntityManager, id: string, today: string): Promise<void> {
    await run(
      tx,
      sql`UPDATE mpps SET retired_on = CASE WHEN active THEN NULL ELSE coalesce(retired_on, ${today}::date) END WHERE id = ${id}`,
    );
  }

  /** The MPP, locked for retiring in this transaction, with its province's time zone. */
  lockForRetirement(
    tx: EntityManager,
    id: string,
  ): Promise<{ provinceCode: string; retiredOn: string | null; timezone: string } | undefined> {
    return one(
      tx,
      sql`SELECT m.province_code AS "provinceCode", m.retired_on AS "retiredOn", p.timezone
            FROM mpps m JOIN provinces p ON p.code = m.province_code WHERE m.id = ${id} FOR UPDATE OF m`,
    );
  }

  async retire(tx: EntityManager, id: string, on: string, reason: string, at: Date): Promise<void> {
    await run(
      tx,
      sql`UPDATE mpps SET active = false, retired_on = ${on}, retirement_reason = ${reason}, updated_at = ${at} WHERE id = ${id}`,
    );
  }

  view(id: string, tx: EntityManager = this.db.manager): Promise<MppRow | undefined> {
    return one(tx, sql`${VIEW} WHERE m.id = ${id}`);
  }

  findOne(id: string): Promise<Mpp | null> {
    return this.db.getRepository(Mpp).findOneBy({ id });
  }

  /** Read before most scoped answers about one MPP: plain SQL, as TypeORM's query builder cost ~5% of a page's CPU under load. */
  async provinceOf(id: string): Promise<{ id: string; provinceCode: string } | null> {
    return (
      (await one<{ id: string; provinceCode: string }>(
        this.db,
        sql`SELECT id, province_code AS "provinceCode" FROM mpps WHERE id = ${id}`,
      )) ?? null
    );
  }

  /** The registry's version (migration KeepRegistryVersion): moves with every committed change to what GET /mpps shows. */
  async registryVersion(): Promise<string | null> {
    const [row] = await runPrepared<{ token: string }>(
      this.db,
      'registry-version',
      sql`SELECT token FROM data_versions WHERE name = 'registry'`,
    );
    return row?.token ?? null;
  }

  /** Which of these ids are MPPs. */
  async existingIds(ids: string[]): Promise<Set<string>> {
    const rows = await run<{ id: string }>(this.db, sql`SELECT id FROM mpps WHERE id = ANY(${ids}::uuid[])`);
    return new Set(rows.map((r) => r.id));
  }

  async list(filter: MppFilter): Promise<MppView[]> {
    return (await run<{ mpp: MppView }>(this.db, sql`${VIEW_JSON} ${filtered(filter)} ${ORDER}`)).map((r) => r.mpp);
  }

  async count(filter: MppFilter): Promise<number> {
    const [row] = await runPrepared<{ total: number }>(
      this.db,
      'mpps-count',
      sql`SELECT count(*)::int AS total FROM mpps m ${filtered(filter)}`,
    );
    return row.total;
  }

  /**
   * One page: its ids chosen from the MPPs alone, then only those rows read with their tenants (the
   * view's tenant list, computed before the sort, cost one lookup per MPP of the whole province).
   */
  async page(filter: MppFilter, limit: number, offset: number): Promise<MppView[]> {
    // Prepared (one statement per filter shape): planning it cost half as much as running it.
    const rows = await runPrepared<{ mpp: MppView }>(
      this.db,
      'mpps-page',
      sql`WITH page AS MATERIALIZED (
            SELECT k.id, row_number() OVER () AS n
              FROM (SELECT m.id FROM mpps m ${filtered(filter)} ${ORDER} LIMIT ${limit} OFFSET ${offset}) k
          )
          ${VIEW_JSON} JOIN page ON page.id = m.id ORDER BY page.n`,
    );
    return rows.map((r) => r.mpp);
  }

  /** MPPs in scope whose name or regency matches the pattern. */
  search(scope: MppScope, pattern: string, limit: number): Promise<MppSearchHit[]> {
    return run(
      this.db,
      sql`${HIT} WHERE (m.name ILIKE ${pattern} OR r.name ILIKE ${pattern}) AND ${inScope(scope)}
           ORDER BY m.name, r.name LIMIT ${limit}`,
    );
  }

  summaries(scope: MppScope, ids: string[]): Promise<MppSearchHit[]> {
    return run(this.db, sql`${HIT} WHERE m.id = ANY(${ids}::uuid[]) AND ${inScope(scope)} ORDER BY m.name, r.name`);
  }

  /** These MPPs, the active ones, by name: with their regency's name and their time zone. */
  activeWithTimezones(ids: string[]): Promise<{ id: string; name: string; regencyName: string; timezone: IndonesianTimezone }[]> {
    // Prepared: a manager's check-in list reads it on every visit.
    return runPrepared(
      this.db,
      'mpps-active-zones',
      sql`SELECT m.id, m.name, r.name AS "regencyName", p.timezone FROM mpps m
            JOIN regencies r ON r.code = m.regency_code JOIN provinces p ON p.code = m.province_code
           WHERE m.id = ANY(${ids}::uuid[]) AND m.active ORDER BY m.name`,
    );
  }

  /** The time zone of an MPP not retired; undefined when there is no such MPP. */
  async timezoneOfUnretired(id: string): Promise<IndonesianTimezone | undefined> {
    const row = await one<{ timezone: IndonesianTimezone }>(
      this.db,
      sql`SELECT p.timezone FROM mpps m JOIN provinces p ON p.code = m.province_code WHERE m.id = ${id} AND m.retired_on IS NULL`,
    );
    return row?.timezone;
  }

  /** The registry's MPPs with these regency codes and (lower-case) names, each with its tenants. */
  registryMatches(tx: EntityManager, keys: { regencyCode: string; name: string }[]): Promise<RegistryMpp[]> {
    return run(
      tx,
      sql`${REGISTRY} JOIN jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS k("regencyCode" text, name text)
            ON m.regency_code = k."regencyCode" AND lower(m.name) = k.name`,
    );
  }

  /** Every MPP as the registry file has it, by regency and name. */
  registryAll(): Promise<RegistryMpp[]> {
    return run(this.db, sql`${REGISTRY} ORDER BY m.regency_code, lower(m.name)`);
  }

  /** New MPPs from registry rows, in one statement; their province follows the regency. */
  async insertFromRegistry(tx: EntityManager, rows: RegistryFields[]): Promise<{ id: string; regencyCode: string; name: string }[]> {
    if (!rows.length) return [];
    return run(
      tx,
      sql`INSERT INTO mpps (regency_code, province_code, name, address, inaugurated_on, channels, opening_days, latitude, longitude, active, tenant_count)
          SELECT x."regencyCode", r.province_code, x.name, x.address, x."inauguratedOn"::date,
                 coalesce(x.channels, '{}'), coalesce(x."openingDays", '{1,2,3,4,5}'), x.latitude, x.longitude, true, 0
            FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS ${REGISTRY_RECORD}
            JOIN regencies r ON r.code = x."regencyCode"
          RETURNING id, regency_code AS "regencyCode", name`,
    );
  }

  /** Registry rows over their MPPs, in one statement: a column absent from the file (`has…` false) keeps its value. */
  async updateFromRegistry(tx: EntityManager, rows: (RegistryFields & { id: string })[]): Promise<void> {
    if (!rows.length) return;
    await run(
      tx,
      sql`UPDATE mpps m SET name = x.name,
                 address = CASE WHEN x."hasAddress" THEN x.address ELSE m.address END,
                 inaugurated_on = CASE WHEN x."hasDate" THEN x."inauguratedOn"::date ELSE m.inaugurated_on END,
                 channels = coalesce(x.channels, m.channels), opening_days = coalesce(x."openingDays", m.opening_days),
                 latitude = CASE WHEN x."hasCoordinates" THEN x.latitude ELSE m.latitude END,
                 longitude = CASE WHEN x."hasCoordinates" THEN x.longitude ELSE m.longitude END, updated_at = now()
            FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS ${REGISTRY_RECORD}
           WHERE m.id = x.id`,
    );
  }
}

function inScope(scope: MppScope): Sql {
  return mppScopeSql(scope, { mppId: 'm.id', provinceCode: 'm.province_code' });
}

function filtered(f: MppFilter): Sql {
  return where([
    inScope(f.scope),
    f.province && sql`m.province_code = ${f.province}`,
    f.regency && sql`m.regency_code = ${f.regency}`,
    f.result &&
      sql`EXISTS (SELECT 1 FROM evaluations e
                   WHERE e.mpp_id = m.id AND e.result = ${f.result}
                     AND e.week = (SELECT week FROM cycles WHERE evaluated_at IS NOT NULL ORDER BY week_start DESC LIMIT 1))`,
  ]);
}
