import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Batcher } from '../../common/batching/batcher';
import { preparedQuery } from '../../database/prepared';
import { AuditLog } from '../../common/audit/audit-log';
import { AppConfig } from '../../config/app-config';
import { Principal, Role } from '../../common/auth/principal';
import { AppError, ErrorDetail } from '../../common/errors';
import { User } from './user.entity';
import { CreateUserDto, ManagerSummary, UpdateUserDto, UserQuery, UserView } from './users.dto';
import { hashPassword, passwordProblems } from './passwords';
import { AccountsService } from './accounts.service';
import { likePattern } from '../../common/like-pattern';

const FIRST_ADMIN_LOCK = 727_001;

/** Every column, the password hash too (only to tell an invited user, never answered). */
const SELECT_WITH_PASSWORD = {
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

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  private readonly principals = new Batcher<string, Principal | null>((ids) => this.loadPrincipals(ids), { maxBatch: 200, maxInFlight: 1 });

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
    private readonly accounts: AccountsService,
  ) {}

  /** Creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when there is no admin yet. */
  async onApplicationBootstrap(): Promise<void> {
    const { email, password } = this.config.admin;
    await this.db.transaction(async (tx) => {
      // Replicas booting together must not create two admins.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
      const [{ count }] = await tx.query(`SELECT count(*)::int AS count FROM users WHERE role = 'admin'`);
      if (count > 0) return;
      if (!email || !password) {
        this.logger.warn('No admin account exists: set ADMIN_EMAIL and ADMIN_PASSWORD and restart to create the first one');
        return;
      }
      const problems = passwordProblems(password, email);
      if (problems.length) throw new Error(`ADMIN_PASSWORD: ${problems.join('; ')}`);
      await tx.insert(User, {
        email,
        name: 'Administrator',
        passwordHash: await hashPassword(password),
        role: 'admin',
        provinceCode: null,
        active: true,
        locale: 'id',
      });
      this.logger.log(`Created the first admin account ${email}`);
    });
  }

  async create(dto: CreateUserDto): Promise<UserView> {
    const email = dto.email.toLowerCase();
    await this.checkRoleScope(dto.role, dto.provinceCode, dto.mppIds);
    const problems = dto.password === undefined ? [] : passwordProblems(dto.password, email);
    if (problems.length)
      throw AppError.validation(
        problems.join('; '),
        problems.map((problem) => ({ field: 'password', problem })),
      );
    if (await this.users.exists({ where: { email } })) throw AppError.conflict(`A user with email ${email} already exists`);
    // Without a password the user is invited: the invitation (token and email) commits with the user.
    const passwordHash = dto.password === undefined ? null : await hashPassword(dto.password);
    let invitations: string[] = [];
    const id = await this.db.transaction(async (tx) => {
      const user = await tx
        .save(
          User,
          tx.create(User, {
            email,
            name: dto.name,
            passwordHash,
            phone: dto.phone ?? null,
            role: dto.role,
            active: true,
            locale: dto.locale ?? 'id',
            provinceCode: dto.role === 'bureau' ? dto.provinceCode! : null,
          }),
        )
        .catch((e: { code?: string }) => {
          if (e.code === '23505') throw AppError.conflict(`A user with email ${email} already exists`);
          throw e;
        });
      if (dto.role === 'manager') await this.setManagedMpps(tx, user.id, dto.mppIds!);
      await this.audit.record(tx, 'user.create', 'user', user.id, null, {
        email,
        name: dto.name,
        role: dto.role,
        provinceCode: user.provinceCode,
        mppIds: dto.role === 'manager' ? dto.mppIds : [],
        locale: user.locale,
        active: true,
        ...(passwordHash ? {} : { invited: true }),
      });
      if (!passwordHash) invitations = await this.accounts.issue(tx, [{ ...user, email }], 'invitation');
      return user.id;
    });
    await this.accounts.dispatch(invitations);
    return this.get(id);
  }

  async list(query: UserQuery): Promise<UserView[]> {
    const rows = await this.users.find({
      select: SELECT_WITH_PASSWORD,
      where: { ...(query.role ? { role: query.role } : {}), ...(query.province ? { provinceCode: query.province } : {}) },
      order: { email: 'ASC' },
    });
    const managed = await this.managedMppsOf(rows.map((u) => u.id));
    return rows.map((u) => toView(u, managed.get(u.id) ?? []));
  }

  async get(id: string): Promise<UserView> {
    const user = await this.users.findOne({ select: SELECT_WITH_PASSWORD, where: { id } });
    if (!user) throw AppError.notFound('User');
    const managed = await this.managedMppsOf([id]);
    return toView(user, managed.get(id) ?? []);
  }

  async update(id: string, dto: UpdateUserDto): Promise<UserView> {
    const user = await this.users.findOne({ select: SELECT_WITH_PASSWORD, where: { id } });
    if (!user) throw AppError.notFound('User');
    if (dto.provinceCode !== undefined || dto.mppIds !== undefined) {
      await this.checkRoleScope(
        user.role,
        dto.provinceCode ?? user.provinceCode ?? undefined,
        dto.mppIds,
        user.role === 'manager' && !dto.mppIds,
      );
    }
    if (dto.password) {
      const problems = passwordProblems(dto.password, user.email);
      if (problems.length)
        throw AppError.validation(
          problems.join('; '),
          problems.map((problem) => ({ field: 'password', problem })),
        );
    }
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    const before = toView(user, (await this.managedMppsOf([id])).get(id) ?? []);
    await this.db.transaction(async (tx) => {
      await tx.update(
        User,
        { id },
        {
          ...(dto.name !== undefined ? { name: dto.name } : {}),
          ...(dto.active !== undefined ? { active: dto.active } : {}),
          ...(dto.locale !== undefined ? { locale: dto.locale } : {}),
          ...(dto.phone !== undefined ? { phone: dto.phone } : {}),
          ...(dto.provinceCode !== undefined && user.role === 'bureau' ? { provinceCode: dto.provinceCode } : {}),
          ...(passwordHash ? { passwordHash } : {}),
          updatedAt: new Date(),
        },
      );
      // A new password, a new scope or deactivation ends every session the user had.
      const revokes = !!passwordHash || dto.active === false || dto.provinceCode !== undefined || dto.mppIds !== undefined;
      if (revokes) await tx.query(`UPDATE users SET token_version = token_version + 1 WHERE id = $1`, [id]);
      if (dto.mppIds !== undefined && user.role === 'manager') await this.setManagedMpps(tx, id, dto.mppIds);
      const [after] = await tx.query(
        `SELECT name, active, locale, province_code AS "provinceCode",
                coalesce((SELECT array_agg(mpp_id ORDER BY mpp_id) FROM mpp_managers WHERE user_id = $1), '{}') AS "mppIds"
           FROM users WHERE id = $1`,
        [id],
      );
      const pick = ({ name, active, locale, provinceCode, mppIds }: UserView) => ({ name, active, locale, provinceCode, mppIds });
      // The password itself (or its hash) is never recorded, only that it changed.
      await this.audit.record(tx, 'user.update', 'user', id, pick(before), {
        ...after,
        ...(passwordHash ? { passwordChanged: true } : {}),
      });
    });
    return this.get(id);
  }

  /** Active managers whose name or email contains the text (the admin's search box), at most `limit`. */
  searchManagers(text: string, limit: number): Promise<ManagerSummary[]> {
    return this.db.query(
      `SELECT id, name, email FROM users WHERE role = 'manager' AND active AND (name ILIKE $1 OR email ILIKE $1)
        ORDER BY name, email LIMIT $2`,
      [likePattern(text), limit],
    );
  }

  /** The managers of one MPP, by name. */
  managersOf(mppId: string): Promise<ManagerSummary[]> {
    return this.db.query(
      `SELECT u.id, u.name, u.email FROM mpp_managers mm JOIN users u ON u.id = mm.user_id WHERE mm.mpp_id = $1 ORDER BY u.name, u.email`,
      [mppId],
    );
  }

  /**
   * Gives a manager one more MPP or takes one away, through update (same checks, audit and ended
   * sessions as PATCH): a manager keeps at least one MPP, so the last one is refused.
   */
  async changeManagedMpp(userId: string, mppId: string, change: 'add' | 'remove'): Promise<UserView> {
    const user = await this.get(userId);
    if (user.role !== 'manager')
      throw AppError.validation(`mppIds are only for managers, not ${user.role}`, [{ field: 'mppIds', problem: 'not a manager' }]);
    const has = user.mppIds.includes(mppId);
    if (has === (change === 'add')) return user;
    const mppIds = change === 'add' ? [...user.mppIds, mppId] : user.mppIds.filter((id) => id !== mppId);
    if (!mppIds.length)
      throw AppError.validation('a manager keeps at least one MPP: add another first, or deactivate the account', [
        { field: 'mppIds', problem: 'last_mpp' },
      ]);
    return this.update(userId, { mppIds });
  }

  /** The principal a token stands for, re-read on every request so deactivation and scope changes apply at once. */
  /** Read on every authenticated request (deactivation applies at once); concurrent requests share one query. */
  findActivePrincipal(id: string): Promise<Principal | null> {
    return this.principals.submit(id);
  }

  private async loadPrincipals(ids: string[]): Promise<(Principal | null)[]> {
    const rows = await preparedQuery<Principal>(
      this.db,
      'principals',
      `SELECT u.id, u.email, u.name, u.role, u.province_code AS "provinceCode", u.locale, u.token_version AS "tokenVersion",
              coalesce(array_agg(m.mpp_id) FILTER (WHERE m.mpp_id IS NOT NULL), '{}') AS "mppIds"
         FROM users u LEFT JOIN mpp_managers m ON m.user_id = u.id
        WHERE u.id = ANY($1::uuid[]) AND u.active
        GROUP BY u.id`,
      [[...new Set(ids)]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Ends every session of a user (logout): older tokens and page cookies stop working at once. */
  async revokeSessions(id: string, action: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE users SET token_version = token_version + 1 WHERE id = $1`, [id]);
      await this.audit.record(tx, action, 'user', id, null, null);
    });
  }

  findForLogin(email: string): Promise<User | null> {
    return this.users.createQueryBuilder('u').addSelect('u.passwordHash').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  /** A bureau needs a known province, a manager known MPPs, and no other role carries either. */
  private async checkRoleScope(
    role: Role,
    provinceCode: string | undefined,
    mppIds: string[] | undefined,
    keepsMpps = false,
  ): Promise<void> {
    const details: ErrorDetail[] = [];
    if (role === 'bureau' && !provinceCode) details.push({ field: 'provinceCode', problem: 'provinceCode is required for a bureau user' });
    if (role !== 'bureau' && provinceCode)
      details.push({ field: 'provinceCode', problem: `provinceCode is only for bureau users, not ${role}` });
    if (role === 'manager' && !keepsMpps && !mppIds?.length)
      details.push({ field: 'mppIds', problem: 'mppIds must name at least one MPP for a manager' });
    if (role !== 'manager' && mppIds?.length) details.push({ field: 'mppIds', problem: `mppIds are only for managers, not ${role}` });
    if (role === 'bureau' && provinceCode) {
      const [{ exists }] = await this.db.query('SELECT EXISTS (SELECT 1 FROM provinces WHERE code = $1) AS exists', [provinceCode]);
      if (!exists) details.push({ field: 'provinceCode', problem: `unknown province ${provinceCode}` });
    }
    if (role === 'manager' && mppIds?.length) {
      const known: { id: string }[] = await this.db.query('SELECT id FROM mpps WHERE id = ANY($1::uuid[])', [mppIds]);
      const missing = mppIds.filter((id) => !known.some((k) => k.id === id));
      if (missing.length) details.push({ field: 'mppIds', problem: `unknown MPP ${missing.join(', ')}` });
    }
    if (details.length) throw AppError.validation(details.map((d) => d.problem).join('; '), details);
  }

  private async setManagedMpps(tx: EntityManager, userId: string, mppIds: string[]): Promise<void> {
    await tx.query('DELETE FROM mpp_managers WHERE user_id = $1', [userId]);
    await tx.query('INSERT INTO mpp_managers (user_id, mpp_id) SELECT $1, unnest($2::uuid[])', [userId, mppIds]);
  }

  private async managedMppsOf(userIds: string[]): Promise<Map<string, string[]>> {
    if (!userIds.length) return new Map();
    const rows: { userId: string; mppIds: string[] }[] = await this.db.query(
      `SELECT user_id AS "userId", array_agg(mpp_id ORDER BY mpp_id) AS "mppIds" FROM mpp_managers WHERE user_id = ANY($1::uuid[]) GROUP BY user_id`,
      [userIds],
    );
    return new Map(rows.map((r) => [r.userId, r.mppIds]));
  }
}

function toView(u: User, mppIds: string[]): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    provinceCode: u.provinceCode,
    mppIds,
    active: u.active,
    status: !u.active ? 'inactive' : u.passwordHash ? 'active' : 'invited',
    phone: u.phone ?? null,
    locale: u.locale,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}
