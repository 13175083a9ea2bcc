import { TestApp } from './support/app';
import { createMpp, createUser } from './support/factories';
import { UsersService } from '../src/modules/users/users.service';
import { AppError } from '../src/common/errors';

/** A manager's MPPs changed one at a time (the admin pages' add and release buttons), also when two changes meet. */
describe("a manager's MPPs under concurrent changes (e2e)", () => {
  let t: TestApp;
  let admin: string;
  let sut: UsersService;

  const mppIdsOf = async (userId: string): Promise<string[]> =>
    (await t.sql(`SELECT mpp_id FROM mpp_managers WHERE user_id = $1 ORDER BY mpp_id`, [userId])).map((r: { mpp_id: string }) => r.mpp_id);
  const problemOf = (outcome: PromiseSettledResult<unknown>) =>
    outcome.status === 'fulfilled'
      ? 'ok'
      : outcome.reason instanceof AppError
        ? outcome.reason.details[0]?.problem
        : String(outcome.reason);

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.adminToken();
    sut = t.app.get(UsersService);
  }, 60_000);
  afterAll(() => t.close());

  it('releasing the last two MPPs at once releases one and refuses the other (a manager keeps one)', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = [await createMpp(t, admin), await createMpp(t, admin)];
      const manager = await createUser(t, admin, { role: 'manager', mppIds: [a.id, b.id] });
      const outcomes = await Promise.allSettled([
        sut.changeManagedMpp(manager.id, a.id, 'remove'),
        sut.changeManagedMpp(manager.id, b.id, 'remove'),
      ]);
      expect(outcomes.map(problemOf).sort()).toEqual(['last_mpp', 'ok']);
      expect(await mppIdsOf(manager.id)).toHaveLength(1);
    }
  });

  it('adding two MPPs at once keeps both', async () => {
    for (let round = 0; round < 5; round++) {
      const [home, c, d] = [await createMpp(t, admin), await createMpp(t, admin), await createMpp(t, admin)];
      const manager = await createUser(t, admin, { role: 'manager', mppIds: [home.id] });
      await Promise.all([sut.changeManagedMpp(manager.id, c.id, 'add'), sut.changeManagedMpp(manager.id, d.id, 'add')]);
      expect(await mppIdsOf(manager.id)).toEqual([home.id, c.id, d.id].sort());
      const audited = await t.sql(`SELECT after->'mppIds' AS "mppIds" FROM audit_log WHERE action = 'user.update' AND entity_id = $1`, [
        manager.id,
      ]);
      expect(audited.map((r: { mppIds: string[] }) => r.mppIds.length).sort()).toEqual([2, 3]);
    }
  });
});
