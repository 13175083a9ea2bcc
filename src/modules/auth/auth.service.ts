import type { KeyObject } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import { AppConfig } from '../../config/app-config';
import { Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { setActingUser } from '../../common/http/request-context';
import { RateLimiter } from '../../common/rate-limiter';
import { verifyPassword } from '../users/passwords';
import { UsersService } from '../users/users.service';
import { AccountsService } from '../users/accounts.service';
import { LoginDto, LoginResult } from './auth.dto';
import { keysFor } from './jwt-keys';

/**
 * Login limits, shared by all replicas, as token buckets (after a burst of `max`, one more attempt
 * every windowSeconds / max: a delay that grows with the failures, never a day-long lock):
 * - attempts against the client address (password spraying over many accounts): 60, then one per 5 s;
 * - attempts on one account from one address: 10, then one every 90 s;
 * - attempts on one account from all addresses: 100, then one every 36 s (guessing from many
 *   addresses). Successful logins are given back to all three, so signing in never uses them up.
 * The account's attempts are taken before the password is checked, so concurrent guesses cannot
 * all slip through; an admin can refill an account's buckets (POST /api/v1/users/{id}/unlock).
 */
export const LOGIN_LIMITS = {
  perIp: { max: 60, windowSeconds: 300 },
  perAccountAndIp: { max: 10, windowSeconds: 900 },
  perAccount: { max: 100, windowSeconds: 3600 },
};

/** Forgot-password requests, per address and per account, so the endpoint cannot flood a mailbox. */
export const FORGOT_LIMITS = {
  perIp: { max: 20, windowSeconds: 3600 },
  perAccount: { max: 3, windowSeconds: 3600 },
};

/** Every rate-limit key of an account's logins (what an unlock clears). */
export const loginKeyPrefixes = (email: string) => [`login:account:${email.toLowerCase()}`, `login:account-ip:${email.toLowerCase()}|`];

/** An access token (API bearer or page session): its own type and key, and the user's token version. */
interface TokenClaims {
  typ: 'access';
  sub: string;
  role: string;
  ver: number;
  exp?: number;
}

/**
 * Tokens whose signature was checked, with their claims: a request's token is checked once (the
 * write rate limit and the guard both need it) and a caller's next requests not again. Only the
 * signature's verdict is kept; expiry is checked on every use and the session (token version,
 * active account) is still read from the database by the guard.
 */
const VERIFIED_TOKENS = 10_000;

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly keys: KeyObject[];

  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: AccountsService,
  ) {
    this.keys = keysFor(config, 'access');
  }

  async login(dto: LoginDto, ip: string): Promise<LoginResult> {
    const email = dto.email.toLowerCase();
    const accountLimits = [
      { key: `login:account-ip:${email}|${ip}`, ...LOGIN_LIMITS.perAccountAndIp },
      { key: `login:account:${email}`, ...LOGIN_LIMITS.perAccount },
    ];
    const addressLimit = { key: `login:ip:${ip}`, ...LOGIN_LIMITS.perIp };
    await this.limiter.hit([addressLimit]);
    await this.limiter.hit(accountLimits);
    const user = await this.users.findForLogin(email);
    const ok = await verifyPassword(user?.active ? (user.passwordHash ?? undefined) : undefined, dto.password);
    if (!user || !ok) {
      this.logger.warn({ event: 'login_failed', email, ip }, 'Failed login');
      await this.audit.record(this.db.manager, 'auth.login_failed', 'user', user?.id ?? null, null, { email }, null);
      throw AppError.unauthorized('Wrong email or password');
    }
    // Successes are not guessing: an office behind one address signs its whole staff in.
    await this.limiter.refund([addressLimit, ...accountLimits]);
    await this.audit.record(this.db.manager, 'auth.login', 'user', user.id, null, null, {
      id: user.id,
      email: user.email,
      role: user.role,
    } as Principal);
    const accessToken = await this.jwt.signAsync(
      { typ: 'access', sub: user.id, role: user.role, ver: user.tokenVersion } satisfies TokenClaims,
      {
        secret: this.keys[0] as never,
      },
    );
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwt.expiresIn };
  }

  /** An admin's unlock: refills every login bucket of the account (all addresses); audited. */
  async unlock(userId: string): Promise<void> {
    const user = await this.users.get(userId);
    const cleared = await this.limiter.reset(loginKeyPrefixes(user.email));
    await this.audit.record(this.db.manager, 'user.unlock', 'user', user.id, null, { email: user.email, bucketsCleared: cleared });
  }

  /**
   * A reset link for the account with this email, if there is one; the answer is the same either
   * way. Over the address's limit 429; over the account's, silently nothing (no enumeration).
   */
  async forgotPassword(email: string, ip: string): Promise<void> {
    await this.limiter.hit([{ key: `forgot:ip:${ip}`, ...FORGOT_LIMITS.perIp }]);
    const allowed = await this.limiter
      .hit([{ key: `forgot:account:${email.toLowerCase()}`, ...FORGOT_LIMITS.perAccount }])
      .then(() => true)
      .catch(() => false);
    if (allowed) await this.accounts.requestReset(email);
  }

  /** Ends every session of the user: tokens and page cookies issued before now stop working. */
  async logout(user: Principal): Promise<void> {
    await this.users.revokeSessions(user.id, 'auth.logout');
  }

  /**
   * The user a well-signed, unexpired access token names, without a database read: the write rate
   * limit keys on it (so `Bearer  <token>` spelled differently is still the same caller).
   */
  subjectOf(token: string): string | null {
    return this.verifiedClaims(token)?.sub ?? null;
  }

  /** Verifies a bearer token (current secret, then the previous one during rotation) and loads its user. */
  async authenticate(token: string): Promise<Principal> {
    const claims = await this.verify(token);
    const principal = claims && (await this.users.findActivePrincipal(claims.sub));
    // A token issued before the last logout, password change, scope change or deactivation is spent.
    if (!principal || principal.tokenVersion !== claims.ver) throw AppError.unauthorized('Invalid or expired token');
    setActingUser(principal);
    return principal;
  }

  /**
   * A manager as a well-signed, unexpired token claims, without a database read; null for other
   * roles (they are authenticated in full). Only for handlers that check the session themselves.
   */
  async claimedManager(token: string): Promise<Principal | null> {
    const claims = await this.verify(token);
    if (!claims || claims.role !== 'manager') return null;
    const principal: Principal = {
      id: claims.sub,
      email: '',
      name: '',
      role: 'manager',
      provinceCode: null,
      mppIds: [],
      locale: 'id',
      tokenVersion: claims.ver,
      sessionUnchecked: true,
    };
    setActingUser(principal);
    return principal;
  }

  private async verify(token: string): Promise<TokenClaims | null> {
    return this.verifiedClaims(token);
  }

  private readonly verified = new Map<string, TokenClaims>();

  /** The claims of a well-signed, unexpired access token (current secret, then the previous one during rotation), or null. */
  private verifiedClaims(token: string): TokenClaims | null {
    let claims: TokenClaims | null | undefined = this.verified.get(token);
    if (claims === undefined) {
      claims = this.checkSignature(token);
      // Refused tokens are not kept: a stranger's garbage must not push out the users' tokens.
      if (claims) {
        if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
        this.verified.set(token, claims);
      }
    }
    if (claims && claims.exp !== undefined && claims.exp * 1000 <= Date.now()) {
      this.verified.delete(token);
      return null;
    }
    return claims;
  }

  private checkSignature(token: string): TokenClaims | null {
    for (const key of this.keys) {
      try {
        const claims = this.jwt.verify<TokenClaims>(token, { secret: key as never, algorithms: ['HS256'] });
        const valid = claims.typ === 'access' && typeof claims.sub === 'string' && /^[0-9a-f-]{36}$/i.test(claims.sub);
        return valid && Number.isInteger(claims.ver) ? claims : null;
      } catch {
        // try the next key
      }
    }
    return null;
  }
}
