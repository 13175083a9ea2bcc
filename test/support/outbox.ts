import { SchedulerRegistry } from '@nestjs/schedule';
import { SWEEP_INTERVAL } from '../../src/modules/notifications/notification.worker';
import { TestApp } from './app';
import { APP_URL } from './backends';
import { stopCycleCron } from './scheduler';

/** Quick retries and leases so fault tests take seconds. */
export const FAST = { NOTIFY_BACKOFF_MS: '100', NOTIFY_LEASE_MS: '1500', NOTIFY_MAX_ATTEMPTS: '6', APP_URL };

/** Outbox rows as the planner writes them (reminders), so each fault test controls exactly what is sent. */
export async function outbox(t: TestApp, count: number, week = '2026-W48'): Promise<string[]> {
  const rows = await t.sql<{ id: string }>(
    `INSERT INTO notifications (kind, week, scope, locale, recipients, payload, max_attempts, created_at)
     SELECT 'manager_reminder', $1, 'manager:test-' || i, 'id', ARRAY['pengelola' || i || '@mpp.test'],
            jsonb_build_object('managerName', 'Pengelola ' || i, 'zone', 'WITA', 'timezone', 'Asia/Makassar',
                               'deadline', '2026-11-30T04:00:00.000Z', 'mpps', jsonb_build_array(jsonb_build_object('id', 'm' || i, 'name', 'MPP Uji ' || i))),
            $3, now()
       FROM generate_series(1, $2) AS i
     RETURNING id`,
    [week, count, Number(FAST.NOTIFY_MAX_ATTEMPTS)],
  );
  return rows.map((r) => r.id);
}

export async function states(t: TestApp): Promise<Record<string, number>> {
  return Object.fromEntries((await t.sql(`SELECT state, count(*)::int AS n FROM notifications GROUP BY state`)).map((r) => [r.state, r.n]));
}

/** An app running API + worker with the cron and the periodic sweep stopped: the test drives them. */
export async function startApp(env: Record<string, string>, databaseUrl?: string): Promise<TestApp> {
  const t = await TestApp.start({ databaseUrl, env: { APP_MODE: 'all', ...FAST, ...env } });
  const registry = t.app.get(SchedulerRegistry);
  await stopCycleCron(t.app);
  registry.deleteInterval(SWEEP_INTERVAL);
  return t;
}
