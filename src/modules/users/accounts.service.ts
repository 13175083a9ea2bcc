import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors';
import { AppConfig } from '../../config/app-config';
import { AccountEmail, planAccountEmails } from '../notifications/account-emails';
import { OutboxDispatcher } from '../notifications/outbox.dispatcher';
import { hashPassword, passwordProblems } from './passwords';
import { hashPasswordToken, issuePasswordToken, PasswordTokenPurpose } from './password-tokens';
import { PasswordTokensRepository } from './password-tokens.repository';
import { UsersRepository } from './users.repository';

export interface AccountHolder {
  id: string;
  email: string;
  name: string;
  role: string;
  locale: 'id' | 'en';
}

/**
 * Accounts without typed passwords: invitations and password resets by single-use links. A token
 * row and its email's outbox row are written in one transaction (durable before anything is sent),
 * then offered to the queue; the sweep re-offers whatever the queue missed.
 */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly tokens: PasswordTokensRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly outbox: OutboxDispatcher,
    private readonly audit: AuditLog,
  ) {}

  /** Token rows and invitation emails for these users, in the caller's transaction; answers the outbox ids to dispatch after commit. */
  issue(tx: EntityManager, holders: AccountHolder[], purpose: PasswordTokenPurpose): Promise<string[]> {
    return this.issueAt(tx, holders, purpose, this.clock.now());
  }

  private async issueAt(tx: EntityManager, holders: AccountHolder[], purpose: PasswordTokenPurpose, now: Date): Promise<string[]> {
    if (!holders.length) return [];
    const tokens = holders.map((h) => ({ holder: h, token: issuePasswordToken(this.config.jwt.secret, h.id, purpose, now) }));
    await this.tokens.insert(
      tx,
      tokens.map((t) => t.token),
      now,
    );
    const emails: AccountEmail[] = tokens.map(({ holder, token }) => ({
      tokenId: token.id,
      purpose,
      email: holder.email,
      name: holder.name,
      role: holder.role,
      locale: holder.locale,
      expiresAt: token.expiresAt,
    }));
    return planAccountEmails(tx, emails, now, this.config.notify.maxAttempts);
  }

  /** Offers committed outbox rows to the queue (never throws: the sweep takes what this misses). */
  async dispatch(ids: string[]): Promise<void> {
    await this.outbox.dispatch(ids);
  }

  /** An admin sends a new invitation to a user who has not set a password yet; earlier links stop working. */
  async resendInvitation(userId: string): Promise<void> {
    const user = await this.users.accountHolder(userId);
    if (!user) throw AppError.notFound('User');
    if (!user.active) throw AppError.conflict('The user is deactivated; activate it first', 'user_inactive');
    if (!user.invited) throw AppError.conflict('The user has set a password already; they can use forgot-password', 'already_active');
    const ids = await this.db.transaction(async (tx) => {
      await this.tokens.spendAllOf(tx, userId, this.clock.now());
      await this.audit.record(tx, 'user.invite', 'user', userId, null, { email: user.email });
      return this.issue(tx, [user], 'invitation');
    });
    await this.dispatch(ids);
  }

  /**
   * Sends a reset link to an active account with this email, and nothing otherwise; the caller
   * answers the same either way (no enumeration). Rate limits are the caller's (AuthService).
   */
  async requestReset(email: string): Promise<void> {
    const address = email.toLowerCase();
    const user = await this.users.activeByEmail(address);
    if (!user) return;
    const ids = await this.db.transaction(async (tx) => {
      await this.audit.record(tx, 'user.password_reset_requested', 'user', user.id, null, null, null);
      return this.issue(tx, [user], 'reset');
    });
    await this.dispatch(ids);
    this.logger.log({ event: 'password_reset_requested', userId: user.id }, 'Password reset link queued');
  }

  /** Whether a link's token can still set a password (the page checks before showing its form). */
  async usable(token: string): Promise<{ email: string; purpose: PasswordTokenPurpose } | null> {
    return (await this.tokens.usable(hashPasswordToken(token), this.clock.now())) ?? null;
  }

  /**
   * Sets the password of the token's user and spends the token (and every other open token of that
   * user); every session the user had ends (token_version). A used, expired or unknown token is 400.
   */
  async setPassword(token: string, password: string): Promise<void> {
    const now = this.clock.now();
    const tokenHash = hashPasswordToken(token);
    const found = await this.usable(token);
    if (!found) throw invalidToken();
    const problems = passwordProblems(password, found.email);
    if (problems.length)
      throw AppError.validation(
        problems.join('; '),
        problems.map((problem) => ({ field: 'password', problem })),
      );
    const passwordHash = await hashPassword(password);
    await this.db.transaction(async (tx) => {
      const spent = await this.tokens.spend(tx, tokenHash, now);
      if (!spent) throw invalidToken();
      await this.tokens.spendAllOf(tx, spent.userId, now);
      await this.users.setPassword(tx, spent.userId, passwordHash, now);
      await this.audit.record(tx, 'user.password_set', 'user', spent.userId, null, { via: spent.purpose }, null);
    });
  }
}

function invalidToken(): AppError {
  return new AppError(400, 'invalid_token', 'The link is invalid, used or expired', [
    { field: 'token', problem: 'the link is invalid, used or expired' },
  ]);
}
