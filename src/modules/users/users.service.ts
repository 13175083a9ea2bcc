import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Batcher } from '../../common/batching/batcher';
import { AuditLog } from '../../common/audit/audit-log';
import { AppConfig } from '../../config/app-config';
import { Principal, Role } from '../../common/auth/principal';
import { AppError, ErrorDetail } from '../../common/errors';
import { User } from './user.entity';
import { CreateUserDto, ManagerSummary, UpdateUserDto, UserQuery, UserView } from './users.dto';
import { hashPassword, passwordProblems } from './passwords';
import { AccountsService } from './accounts.service';
import { likePattern } from '../../common/like-pattern';
import { RegionsRepository } from '../regions/regions.repository';
import { MppsRepository } from '../mpps/mpps.repository';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  private readonly principals = new Batcher<string, Principal | null>((ids) => this.loadPrincipals(ids), { maxBatch: 200, maxInFlight: 1 });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly regions: RegionsRepository,
    private readonly mpps: MppsRepository,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
    private readonly accounts: AccountsService,
  ) {}

  /** Creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when there is no admin yet. */
  async onApplicationBootstrap(): Promise<void> {
    const { email, password } = this.config.admin;
    await this.db.transaction(async (tx) => {
      await this.users.lockFirstAdmin(tx);
      if (await this.users.adminExists(tx)) return;
      if (!email || !password) {
        this.logger.warn('No admin account exists: set ADMIN_EMAIL and ADMIN_PASSWORD and restart to create the first one');
        return;
      }
      const problems = passwordProblems(password, email);
      if (problems.length) throw new Error(`ADMIN_PASSWORD: ${problems.join('; ')}`);
      await this.users.insert(tx, {
        email,
        phone: null,
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
    if (await this.users.emailTaken(email)) throw AppError.conflict(`A user with email ${email} already exists`);
    // Without a password the user is invited: the invitation (token and email) commits with the user.
    const passwordHash = dto.password === undefined ? null : await hashPassword(dto.password);
    let invitations: string[] = [];
    const id = await this.db.transaction(async (tx) => {
      const user = await this.users
        .insert(tx, {
          email,
          name: dto.name,
          passwordHash,
          phone: dto.phone ?? null,
          role: dto.role,
          active: true,
          locale: dto.locale ?? 'id',
          provinceCode: dto.role === 'bureau' ? dto.provinceCode! : null,
        })
        .catch((e: { code?: string }) => {
          if (e.code === '23505') throw AppError.conflict(`A user with email ${email} already exists`);
          throw e;
        });
      if (dto.role === 'manager') await this.users.replaceManagedMpps(tx, user.id, dto.mppIds!);
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
    const rows = await this.users.list(query);
    const managed = await this.users.managedMppsOf(rows.map((u) => u.id));
    return rows.map((u) => toView(u, managed.get(u.id) ?? []));
  }

  async get(id: string): Promise<UserView> {
    const user = await this.users.findWithPassword(id);
    if (!user) throw AppError.notFound('User');
    const managed = await this.users.managedMppsOf([id]);
    return toView(user, managed.get(id) ?? []);
  }

  async update(id: string, dto: UpdateUserDto): Promise<UserView> {
    const user = await this.users.findWithPassword(id);
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
    await this.db.transaction(async (tx) => {
      await this.users.lockOne(tx, id);
      await this.applyUpdate(tx, id, user.role, dto, passwordHash);
    });
    return this.get(id);
  }

  /** The change itself, under the user's row lock (UsersRepository.lockOne), audited against what the lock saw. */
  private async applyUpdate(
    tx: EntityManager,
    id: string,
    role: Role,
    dto: UpdateUserDto,
    passwordHash: string | undefined,
  ): Promise<void> {
    const before = await this.users.audited(tx, id);
    await this.users.update(
      tx,
      id,
      {
        ...(dto.name !== undefined ? { name: dto.name } : {}),
        ...(dto.active !== undefined ? { active: dto.active } : {}),
        ...(dto.locale !== undefined ? { locale: dto.locale } : {}),
        ...(dto.phone !== undefined ? { phone: dto.phone } : {}),
        ...(dto.provinceCode !== undefined && role === 'bureau' ? { provinceCode: dto.provinceCode } : {}),
        ...(passwordHash ? { passwordHash } : {}),
      },
      new Date(),
    );
    // A new password, a new scope or deactivation ends every session the user had.
    const revokes = !!passwordHash || dto.active === false || dto.provinceCode !== undefined || dto.mppIds !== undefined;
    if (revokes) await this.users.endSessions(tx, id);
    if (dto.mppIds !== undefined && role === 'manager') await this.users.replaceManagedMpps(tx, id, dto.mppIds);
    const after = await this.users.audited(tx, id);
    // The password itself (or its hash) is never recorded, only that it changed.
    await this.audit.record(tx, 'user.update', 'user', id, before, {
      ...after,
      ...(passwordHash ? { passwordChanged: true } : {}),
    });
  }

  /** Active managers whose name or email contains the text (the admin's search box), at most `limit`. */
  searchManagers(text: string, limit: number): Promise<ManagerSummary[]> {
    return this.users.searchManagers(likePattern(text), limit);
  }

  /** The managers of one MPP, by name. */
  managersOf(mppId: string): Promise<ManagerSummary[]> {
    return this.users.managersOf(mppId);
  }

  /**
   * Gives a manager one more MPP or takes one away, with the same checks, audit and ended sessions
   * as PATCH: a manager keeps at least one MPP, so the last one is refused. The manager's row is
   * locked from reading the MPPs to writing them, so two changes at once neither lose one another
   * nor both take away one of the last two MPPs.
   */
  async changeManagedMpp(userId: string, mppId: string, change: 'add' | 'remove'): Promise<UserView> {
    await this.db.transaction(async (tx) => {
      const user = await this.users.lockOne(tx, userId);
      if (!user) throw AppError.notFound('User');
      if (user.role !== 'manager')
        throw AppError.validation(`mppIds are only for managers, not ${user.role}`, [{ field: 'mppIds', problem: 'not a manager' }]);
      if (user.mppIds.includes(mppId) === (change === 'add')) return;
      const mppIds = change === 'add' ? [...user.mppIds, mppId] : user.mppIds.filter((id) => id !== mppId);
      if (!mppIds.length)
        throw AppError.validation('a manager keeps at least one MPP: add another first, or deactivate the account', [
          { field: 'mppIds', problem: 'last_mpp' },
        ]);
      await this.checkRoleScope(user.role, undefined, mppIds);
      await this.applyUpdate(tx, userId, user.role, { mppIds }, undefined);
    });
    return this.get(userId);
  }

  /** The principal a token stands for, re-read on every request so deactivation and scope changes apply at once. */
  /** Read on every authenticated request (deactivation applies at once); concurrent requests share one query. */
  findActivePrincipal(id: string): Promise<Principal | null> {
    return this.principals.submit(id);
  }

  private async loadPrincipals(ids: string[]): Promise<(Principal | null)[]> {
    const rows = await this.users.activePrincipals([...new Set(ids)]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Ends every session of a user (logout): older tokens and page cookies stop working at once. */
  async revokeSessions(id: string, action: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.users.endSessions(tx, id);
      await this.audit.record(tx, action, 'user', id, null, null);
    });
  }

  findForLogin(email: string): Promise<User | null> {
    return this.users.findForLogin(email);
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
      if (!(await this.regions.provinceExists(provinceCode)))
        details.push({ field: 'provinceCode', problem: `unknown province ${provinceCode}` });
    }
    if (role === 'manager' && mppIds?.length) {
      const known = await this.mpps.existingIds(mppIds);
      const missing = mppIds.filter((id) => !known.has(id));
      if (missing.length) details.push({ field: 'mppIds', problem: `unknown MPP ${missing.join(', ')}` });
    }
    if (details.length) throw AppError.validation(details.map((d) => d.problem).join('; '), details);
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
