import { randomUUID, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { IsoWeek, weekTimes } from '../../common/time/iso-week';
import { IndonesianTimezone } from '../../common/time/timezones';
import { keysFor, signHs256 } from './jwt-keys';
import { SpentLinksRepository } from './spent-links.repository';

export interface CheckInLink {
  userId: string;
  mppId: string;
  week: IsoWeek;
}

export interface VerifiedLink extends CheckInLink {
  /** The link's own id: spent by its first submission. */
  jti: string;
}

interface LinkClaims {
  typ: 'check_in_link';
  sub: string;
  mpp: string;
  week: string;
  jti: string;
}

/** Days after the deadline a reminder's link keeps working (within the correction window). */
export const LINK_VALID_DAYS_AFTER_DEADLINE = 7;

/**
 * The one-click link in a reminder: a token signed with its own key (not the access-token key)
 * naming the manager it was sent to, one MPP and one week. It opens that form and nothing else,
 * expires a week after that week's deadline, and the first submission through it spends it.
 */
@Injectable()
export class CheckInLinks {
  private readonly keys: KeyObject[];

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly spent: SpentLinksRepository,
  ) {
    this.keys = keysFor(config, 'check_in_link');
  }

  /**
   * `deadline` is the week's deadline as the reminder states it (moved to the next working day
   * when the Monday is a holiday); without it, the Monday 12:00 one in the MPP's zone.
   */
  sign(link: CheckInLink, timezone: IndonesianTimezone, deadline = weekTimes(link.week, timezone).deadline): string {
    const expires = deadline.getTime() + LINK_VALID_DAYS_AFTER_DEADLINE * 86400_000;
    // Issued "now" by the app's clock, so `exp` is exactly a week after the deadline.
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const claims: LinkClaims & { iat: number; exp: number } = {
      typ: 'check_in_link',
      sub: link.userId,
      mpp: link.mppId,
      week: link.week,
      jti: randomUUID(),
      iat,
      exp: Math.max(iat + 1, Math.floor(expires / 1000)),
    };
    return signHs256(claims, this.keys[0]);
  }

  url(link: CheckInLink, timezone: IndonesianTimezone, deadline?: Date): string {
    return `${this.config.appUrl}/c/${this.sign(link, timezone, deadline)}`;
  }

  /** The link's claims, or null when it is tampered with, expired (at `now`) or not a check-in link. */
  verify(token: string, now: Date): VerifiedLink | null {
    for (const key of this.keys) {
      try {
        const claims = this.jwt.verify<LinkClaims & { exp: number }>(token, {
          secret: key as never,
          algorithms: ['HS256'],
          ignoreExpiration: true,
        });
        if (claims.typ !== 'check_in_link' || typeof claims.jti !== 'string' || claims.exp * 1000 <= now.getTime()) return null;
        return { userId: claims.sub, mppId: claims.mpp, week: claims.week, jti: claims.jti };
      } catch {
        // next secret
      }
    }
    return null;
  }

  isSpent(jti: string): Promise<boolean> {
    return this.spent.contains(jti);
  }

  /** Spends a link; false when it was already spent (a second tab, a replay). */
  spend(jti: string, db?: EntityManager): Promise<boolean> {
    return this.spent.add(jti, db);
  }

  /** Gives a link back when the submission it was spent on did not go through (a form error). */
  unspend(jti: string): Promise<void> {
    return this.spent.remove(jti);
  }
}
