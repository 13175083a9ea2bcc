import type { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { IsoWeek, weekTimes } from '../../common/time/iso-week';
import { IndonesianTimezone } from '../../common/time/timezones';
import { verificationKeys } from './jwt-keys';

export interface CheckInLink {
  userId: string;
  mppId: string;
  week: IsoWeek;
}

interface LinkClaims {
  sub: string;
  mpp: string;
  week: string;
  purpose: 'check-in';
}

/** Days after the deadline a reminder's link keeps working. */
export const LINK_VALID_DAYS_AFTER_DEADLINE = 7;

/**
 * The one-click link in a reminder: a signed token naming the manager it was sent to, one MPP
 * and one week, expiring a week after that week's deadline. It opens that form and nothing else.
 */
@Injectable()
export class CheckInLinks {
  private readonly keys: KeyObject[];

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.keys = verificationKeys(config);
  }

  sign(link: CheckInLink, timezone: IndonesianTimezone): string {
    const expires = weekTimes(link.week, timezone).deadline.getTime() + LINK_VALID_DAYS_AFTER_DEADLINE * 86400_000;
    // Issued "now" by the app's clock, so `exp` is exactly a week after the deadline.
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    return this.jwt.sign(
      { sub: link.userId, mpp: link.mppId, week: link.week, purpose: 'check-in', iat } satisfies LinkClaims & { iat: number },
      { expiresIn: Math.max(1, Math.floor(expires / 1000) - iat) },
    );
  }

  url(link: CheckInLink, timezone: IndonesianTimezone): string {
    return `${this.config.appUrl}/c/${this.sign(link, timezone)}`;
  }

  /** The link's claims, or null when it is tampered with, expired (at `now`) or not a check-in link. */
  verify(token: string, now: Date): CheckInLink | null {
    for (const key of this.keys) {
      try {
        const claims = this.jwt.verify<LinkClaims & { exp: number }>(token, {
          secret: key as never,
          algorithms: ['HS256'],
          ignoreExpiration: true,
        });
        if (claims.purpose !== 'check-in' || claims.exp * 1000 <= now.getTime()) return null;
        return { userId: claims.sub, mppId: claims.mpp, week: claims.week };
      } catch {
        // next secret
      }
    }
    return null;
  }
}
