import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { createChallenge, verifySolution } from 'altcha-lib/v1';
import type { Challenge } from 'altcha-lib/v1/types';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { CitizenReportsRepository } from './citizen-reports.repository';

/** A challenge is good for this long; its solution once. */
const CHALLENGE_MINUTES = 20;
/** About 50,000 SHA-256 on average: well under a second on a phone, a cost for a script sending thousands. */
const MAX_NUMBER = 100_000;

/**
 * ALTCHA's proof of work, without a third party: the challenge is signed with a key derived from
 * JWT_SECRET (no state until it is spent), and each solution's signature is recorded when used.
 */
@Injectable()
export class ProofOfWork {
  private readonly hmacKey: string;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
    private readonly reports: CitizenReportsRepository,
  ) {
    this.hmacKey = createHmac('sha256', config.jwt.secret).update('mpp-monitor altcha').digest('base64url');
  }

  challenge(): Promise<Challenge> {
    const expires = new Date(this.clock.now().getTime() + CHALLENGE_MINUTES * 60_000);
    return createChallenge({ hmacKey: this.hmacKey, maxNumber: MAX_NUMBER, expires });
  }

  /** True for a correct, unexpired solution (its expiry is checked against our clock, not the library's). */
  async verify(payload: unknown): Promise<boolean> {
    if (typeof payload !== 'string' || payload.length > 2000) return false;
    let parsed: { salt?: string };
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    } catch {
      return false;
    }
    const expires = Number(new URLSearchParams(String(parsed.salt ?? '').split('?')[1] ?? '').get('expires'));
    if (!expires || expires * 1000 < this.clock.now().getTime()) return false;
    return verifySolution(payload, this.hmacKey, false).catch(() => false);
  }

  /** Records the solution as used, in the caller's transaction; false when it was used already. */
  async spend(tx: EntityManager, payload: string): Promise<boolean> {
    const { signature } = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { signature: string };
    return this.reports.spendChallenge(tx, signature, new Date(this.clock.now().getTime() + CHALLENGE_MINUTES * 60_000));
  }

  /**
   * Spent signatures past their challenge's expiry are worthless anyway (an expired solution is
   * refused before it is looked up). Hourly where the scheduler runs (APP_MODE all or worker);
   * a plain DELETE by expiry, so replicas running it at once are harmless.
   */
  @Cron(CronExpression.EVERY_HOUR, { name: 'spent-challenges-prune' })
  prune(): Promise<number> {
    return this.reports.pruneSpentChallenges(this.clock.now());
  }
}
