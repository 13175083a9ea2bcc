import { Client } from 'pg';
import { prepareDatabase } from '../src/prepare-database';
import { TestApp } from './support/app';
import { createTestDatabase, dropTestDatabase } from './support/database';
import { createMpp } from './support/factories';

/**
 * Migrations as the schema owner, the app as a role with data rights only (MIGRATION_DATABASE_URL
 * beside DATABASE_URL): the app works, and cannot lift the audit trail's append-only triggers.
 */
describe('the app runs as a role that cannot rewrite history (e2e)', () => {
  const role = `mpp_app_${process.pid}`;
  let ownerUrl: string;
  let appUrl: string;
  let t: TestApp;

  const asApp = async (sql: string) => {
    const client = new Client({ connectionString: appUrl });
    await client.connect();
    try {
      await client.query(sql);
      return 'done';
    } catch (e) {
      return (e as { code?: string }).code;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    ownerUrl = await createTestDatabase();
    const owner = new Client({ connectionString: ownerUrl });
    await owner.connect();
    await owner.query(`DROP ROLE IF EXISTS ${role}`);
    await owner.query(`CREATE ROLE ${role} LOGIN PASSWORD 'sandi-peran-aplikasi'`);
    await owner.end();
    const url = new URL(ownerUrl);
    url.username = role;
    url.password = 'sandi-peran-aplikasi';
    appUrl = url.toString();
    await prepareDatabase(ownerUrl, { log: () => undefined }, { appRole: role });
    t = await TestApp.start({ databaseUrl: appUrl });
  });

  afterAll(async () => {
    await t.close({ keepDatabase: true });
    await dropTestDatabase(ownerUrl);
    const owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    await owner.query(`DROP ROLE IF EXISTS ${role}`);
    await owner.end();
  });

  it('serves logins and writes (audited) as that role', async () => {
    const admin = await t.adminToken();
    const mpp = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    expect(mpp.id).toEqual(expect.any(String));
    expect(await t.sql(`SELECT current_user AS who, count(*)::int > 0 AS audited FROM audit_log GROUP BY 1`)).toEqual([
      { who: role, audited: true },
    ]);
  });

  it('cannot update or delete audit records, nor disable the triggers that guard them', async () => {
    expect(await asApp(`UPDATE audit_log SET after = '{}'`)).toBe('42501'); // insufficient_privilege
    expect(await asApp(`DELETE FROM audit_log`)).toBe('42501');
    expect(await asApp(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`)).toBe('42501');
    expect(await asApp(`DELETE FROM check_in_revisions`)).toBe('42501');
    expect(await asApp(`DROP TABLE audit_log`)).toBe('42501');
    expect(await asApp(`INSERT INTO audit_log (action, entity) VALUES ('test.insert', 'test')`)).toBe('done');
  });
});
