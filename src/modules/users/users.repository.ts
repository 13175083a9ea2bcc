import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal, Role } from '../../common/auth/principal';
import { preparedQuery } from '../../database/prepared';
import { one, run, sql } from '../../database/sql';
import { User } from './user.entity';
import type { ManagerSummary } from './users.dto';

/** Every column, the password hash too (only to tell an invited user, never answered). */
const WITH_PASSWORD = {
  id: true,
  email: true,
  name: true,
  passwordHash: true,
  phone: true,
  role: true,
  provinceCode: true,
  active: true,
  locale: true,
  tokenVersion: true,
  createdAt: true,
  updatedAt: true,
} as const;

const FIRST_ADMIN_LOCK = 727_001;

/** What an audit record keeps of a user. */
export interface AuditedUser {
  name: string;
  active: boolean;
  locale: 'id' | 'en';
  provinceCode: string | null;
  mppIds: string[];
}

export type UserFields = Partial<Pick<User, 'name' | 'active' | 'locale' | 'phone' | 'provinceCode' | 'passwordHash'>>;

/** The `users` and `mpp_managers` tables: every query on them. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Held until the transaction ends, so replicas booting together do not both create the first admin. */
  async lockFirstAdmin(tx: EntityManager): Promise<void> {
    await run(tx, sql`SELECT pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`);
  }

  async adminExists(tx: EntityManager): Promise<boolean> {
    return (await one<{ exists: boolean }>(tx, sql`SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin') AS exists`))!.exists;
  }

  emailTaken(email: string): Promise<boolean> {
    return this.db.getRepository(User).exists({ where: { email } });
  }

  insert(tx: EntityManager, fields: Omit<User, 'id' | 'tokenVersion' | 'createdAt' | 'updatedAt'>): Promise<User> {
    return tx.save(User, tx.create(User, fields));
  }

  findWithPassword(id: string): Promise<User | null> {
    return this.db.getRepository(User).findOne({ select: WITH_PASSWORD, where: { id } });
  }

  list(filter: { role?: Role; province?: string }): Promise<User[]> {
    return this.db.getRepository(User).find({
      select: WITH_PASSWORD,
      where: { ...(filter.role ? { role: filter.role } : {}), ...(filter.province ? { provinceCode: filter.province } : {}) },
      order: { email: 'ASC' },
    });
  }

  findForLogin(email: string): Promise<User | null> {
    return this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
  }

  /**
   * The user's row, locked until the transaction ends, with its role and MPPs: changes to a
   * user (a manager's MPPs above all) are read and written under this lock, one after another.
   * The MPPs are read by a second statement: one started before the lock was granted would see
   * them as they were before the change that held it.
   */
  async lockOne(tx: EntityManager, id: string): Promise<{ role: Role; mppIds: string[] } | undefined> {
    const user = await one<{ role: Role }>(tx, sql`SELECT role FROM users WHERE id = ${id} FOR UPDATE`);
    if (!user) return undefined;
    const managed = await one<{ mppIds: string[] }>(
      tx,
      sql`SELECT coalesce(array_agg(mpp_id ORDER BY mpp_id), '{}') AS "mppIds" FROM mpp_managers WHERE user_id = ${id}`,
    );
    return { role: user.role, mppIds: managed!.mppIds };
  }

  async update(tx: EntityManager, id: string, fields: UserFields, at: Date): Promise<void> {
    await tx.update(User, { id }, { ...fields, updatedAt: at });
  }

  /** Older tokens and page cookies stop working at once. */
  async endSessions(tx: EntityManager, id: string): Promise<void> {
    await run(tx, sql`UPDATE users SET token_version = token_version + 1 WHERE id = ${id}`);
  }

  /** What an audit record keeps of the user, as the transaction sees it. */
  async audited(tx: EntityManager, id: string): Promise<AuditedUser> {
    return (await one<AuditedUser>(
      tx,
      sql`SELECT name, active, locale, province_code AS "provinceCode",
                 coalesce((SELECT array_agg(mpp_id ORDER BY mpp_id) FROM mpp_managers WHERE user_id = ${id}), '{}') AS "mppIds"
            FROM users WHERE id = ${id}`,
    ))!;
  }

  /** Active managers whose name or email matches the pattern, at most `limit`. */
  searchManagers(pattern: string, limit: number): Promise<ManagerSummary[]> {
    return run(
      this.db,
      sql`SELECT id, name, email FROM users WHERE role = 'manager' AND active AND (name ILIKE ${pattern} OR email ILIKE ${pattern})
           ORDER BY name, email LIMIT ${limit}`,
    );
  }

  managersOf(mppId: string): Promise<ManagerSummary[]> {
    return run(
      this.db,
      sql`SELECT u.id, u.name, u.email FROM mpp_managers mm JOIN users u ON u.id = mm.user_id
           WHERE mm.mpp_id = ${mppId} ORDER BY u.name, u.email`,
    );
  }

  /** The active users among these ids as principals; hot (every authenticated request), so prepared. */
  activePrincipals(ids: string[]): Promise<Principal[]> {
    return preparedQuery<Principal>(
      this.db,
      'principals',
      `SELECT u.id, u.email, u.name, u.role, u.province_code AS "provinceCode", u.locale, u.token_version AS "tokenVersion",
              coalesce(array_agg(m.mpp_id) FILTER (WHERE m.mpp_id IS NOT NULL), '{}') AS "mppIds"
         FROM users u LEFT JOIN mpp_managers m ON m.user_id = u.id
        WHERE u.id = ANY($1::uuid[]) AND u.active
        GROUP BY u.id`,
      [ids],
    );
  }

  async replaceManagedMpps(tx: EntityManager, userId: string, mppIds: string[]): Promise<void> {
    await run(tx, sql`DELETE FROM mpp_managers WHERE user_id = ${userId}`);
    await run(tx, sql`INSERT INTO mpp_managers (user_id, mpp_id) SELECT ${userId}, unnest(${mppIds}::uuid[])`);
  }

  /** Each user's MPPs, by id. */
  async managedMppsOf(userIds: string[]): Promise<Map<string, string[]>> {
    if (!userIds.length) return new Map();
    const rows = await run<{ userId: string; mppIds: string[] }>(
      this.db,
      sql`SELECT user_id AS "userId", array_agg(mpp_id ORDER BY mpp_id) AS "mppIds" FROM mpp_managers
           WHERE user_id = ANY(${userIds}::uuid[]) GROUP BY user_id`,
    );
    return new Map(rows.map((r) => [r.userId, r.mppIds]));
  }

  /** Users with these (lower-case) emails, each with its MPPs; for the registry import. */
  byEmails(
    tx: EntityManager,
    emails: string[],
  ): Promise<{ id: string; email: string; name: string; phone: string | null; role: Role; mppIds: string[] }[]> {
    return run(
      tx,
      sql`SELECT u.id, lower(u.email) AS email, u.name, u.phone, u.role,
                 coalesce(array_agg(mm.mpp_id) FILTER (WHERE mm.mpp_id IS NOT NULL), '{}') AS "mppIds"
            FROM users u LEFT JOIN mpp_managers mm ON mm.user_id = u.id
           WHERE lower(u.email) = ANY(${emails}::text[]) GROUP BY u.id`,
    );
  }

  /** The managers of every MPP, by email; for the registry export. */
  async managersByMpp(): Promise<Map<string, { email: string; name: string; phone: string | null }[]>> {
    const rows = await run<{ mppId: string; managers: { email: string; name: string; phone: string | null }[] }>(
      this.db,
      sql`SELECT mm.mpp_id AS "mppId", json_agg(json_build_object('email', u.email, 'name', u.name, 'phone', u.phone) ORDER BY lower(u.email)) AS managers
            FROM mpp_managers mm JOIN users u ON u.id = mm.user_id AND u.role = 'manager' GROUP BY mm.mpp_id`,
    );
    return new Map(rows.map((r) => [r.mppId, r.managers]));
  }

  /** New managers without a password (invited), in one statement. */
  createInvitedManagers(
    tx: EntityManager,
    managers: { email: string; name: string; phone: string | null }[],
  ): Promise<{ id: string; email: string; name: string; role: string; locale: 'id' | 'en' }[]> {
    if (!managers.length) return Promise.resolve([]);
    return run(
      tx,
      sql`INSERT INTO users (email, name, phone, password_hash, role, active, locale)
          SELECT x.email, x.name, x.phone, NULL, 'manager', true, 'id'
            FROM jsonb_to_recordset(${JSON.stringify(managers)}::jsonb) AS x(email text, name text, phone text)
          RETURNING id, email, name, role, locale`,
    );
  }

  /** New names and phone numbers, in one statement. */
  async renameMany(tx: EntityManager, users: { id: string; name: string; phone: string | null }[]): Promise<void> {
    if (!users.length) return;
    await run(
      tx,
      sql`UPDATE users u SET name = x.name, phone = x.phone, updated_at = now()
            FROM jsonb_to_recordset(${JSON.stringify(users)}::jsonb) AS x(id uuid, name text, phone text) WHERE u.id = x.id`,
    );
  }

  /** Adds MPPs to managers named by (lower-case) email, keeping the ones they have; one statement. */
  async addManagedMpps(tx: EntityManager, links: { email: string; mppId: string }[]): Promise<void> {
    if (!links.length) return;
    await run(
      tx,
      sql`INSERT INTO mpp_managers (user_id, mpp_id)
          SELECT u.id, x."mppId" FROM jsonb_to_recordset(${JSON.stringify(links)}::jsonb) AS x(email text, "mppId" uuid)
            JOIN users u ON lower(u.email) = x.email
          ON CONFLICT DO NOTHING`,
    );
  }

  /** The email of each of these users, by id. */
  async emailsOf(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await run<{ id: string; email: string }>(this.db, sql`SELECT id, email FROM users WHERE id = ANY(${ids}::uuid[])`);
    return new Map(rows.map((r) => [r.id, r.email]));
  }

  /** Who an invitation or reset link goes to, with whether they are active and still invited (no password yet). */
  accountHolder(
    id: string,
  ): Promise<
    { id: string; email: string; name: string; role: string; locale: 'id' | 'en'; active: boolean; invited: boolean } | undefined
  > {
    return one(this.db, sql`SELECT id, email, name, role, locale, active, password_hash IS NULL AS invited FROM users WHERE id = ${id}`);
  }

  /** The active user with this (lower-case) email. */
  activeByEmail(email: string): Promise<{ id: string; email: string; name: string; role: string; locale: 'id' | 'en' } | undefined> {
    return one(this.db, sql`SELECT id, email, name, role, locale FROM users WHERE lower(email) = ${email} AND active`);
  }

  /** A new password for an active user; every session ends. */
  async setPassword(tx: EntityManager, id: string, passwordHash: string, at: Date): Promise<void> {
    await run(
      tx,
      sql`UPDATE users SET password_hash = ${passwordHash}, token_version = token_version + 1, updated_at = ${at} WHERE id = ${id} AND active`,
    );
  }
}
