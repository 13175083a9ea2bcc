import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { run, sql } from '../../database/sql';

/** Who receives an official email: active users of a role, grouped by language (one email per language). */
@Injectable()
export class RecipientsRepository {
  /** The active bureau users of these provinces, per province and language, emails sorted. */
  bureausOf(tx: EntityManager, provinceCodes: string[]): Promise<{ provinceCode: string; locale: string; emails: string[] }[]> {
    return run(
      tx,
      sql`SELECT province_code AS "provinceCode", locale, array_agg(email ORDER BY email) AS emails
            FROM users WHERE role = 'bureau' AND active AND province_code = ANY(${provinceCodes}::text[])
           GROUP BY province_code, locale`,
    );
  }

  /** The active ministry users, per language, emails sorted. */
  ministry(tx: EntityManager): Promise<{ locale: string; emails: string[] }[]> {
    return run(
      tx,
      sql`SELECT locale, array_agg(email ORDER BY email) AS emails FROM users WHERE role = 'ministry' AND active GROUP BY locale`,
    );
  }
}
