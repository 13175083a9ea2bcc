import { FixedClock } from '../../src/common/clock';
import type { CheckInView } from '../../src/modules/check-ins/check-ins.dto';
import { CyclesScheduler } from '../../src/modules/cycles/cycles.scheduler';
import { EvaluationSettingsService } from '../../src/modules/cycles/evaluation-settings.service';
import type { FlagView } from '../../src/modules/flags/flags.dto';
import type { MppView } from '../../src/modules/mpps/mpps.dto';
import { NotificationPlanner } from '../../src/modules/notifications/notification.planner';
import type { ApiClient, ApiResponse } from './api';
import { TestApp } from './app';
import { APP_URL } from './backends';
import { checkInBody, createMpp, createUser, MppInput, SignedInUser, UserInput } from './factories';
import { stopCycleCron } from './scheduler';
import { ReceivedMail, TestSmtpServer, waitUntil } from './smtp';

/** A row of `GET /cycles/{week}/evaluations` (the route answers rows of the evaluation view, untyped in src). */
export type EvaluationRow = Record<string, unknown> & { mppId: string; mppName: string; result: string };

export interface ScenarioOptions {
  /** Where the fixed clock starts (ISO instant); tests move it with `clock.set`. */
  at: string;
  /**
   * Runs API + worker against an in-process SMTP server with quick retries; the per-minute cycle
   * cron is stopped, so the test drives `scheduler.tick()` at the times it chooses.
   */
  mail?: boolean;
  env?: Record<string, string>;
}

/**
 * One test file's world on a fixed clock: the app on a fresh database, its admin, and the steps
 * tests repeat (an MPP with its manager, a check-in, an evaluation at a given instant, the outbox
 * drained), each one line in the test.
 */
export class Scenario {
  private constructor(
    readonly t: TestApp,
    readonly clock: FixedClock,
    readonly adminToken: string,
    private readonly mailServer?: TestSmtpServer,
  ) {}

  static async start(options: ScenarioOptions): Promise<Scenario> {
    const clock = new FixedClock(new Date(options.at));
    const smtp = options.mail ? await TestSmtpServer.start() : undefined;
    const mailEnv: Record<string, string> = smtp
      ? { APP_MODE: 'all', SMTP_URL: smtp.url, APP_URL, NOTIFY_BACKOFF_MS: '100', NOTIFY_LEASE_MS: '2000' }
      : {};
    const t = await TestApp.start({ clock, env: { ...mailEnv, ...options.env } });
    if (t.config.mode !== 'api') await stopCycleCron(t.app);
    return new Scenario(t, clock, await t.adminToken(), smtp);
  }

  async close(): Promise<void> {
    await this.t.close();
    await this.mailServer?.stop();
  }

  get admin(): ApiClient {
    return this.t.as(this.adminToken);
  }

  as(token?: string): ApiClient {
    return this.t.as(token);
  }

  get smtp(): TestSmtpServer {
    if (!this.mailServer) throw new Error('Scenario.start({ mail: true }) starts the SMTP server');
    return this.mailServer;
  }

  get scheduler(): CyclesScheduler {
    return this.t.app.get(CyclesScheduler);
  }

  mpp(input: MppInput = {}): Promise<MppView> {
    return createMpp(this.t, this.adminToken, input);
  }

  user(input: UserInput): Promise<SignedInUser> {
    return createUser(this.t, this.adminToken, input);
  }

  manager(mpp: { id: string }, input: Partial<UserInput> = {}): Promise<SignedInUser> {
    return this.user({ ...input, role: 'manager', mppIds: [mpp.id] });
  }

  bureau(provinceCode: string, input: Partial<UserInput> = {}): Promise<SignedInUser> {
    return this.user({ ...input, role: 'bureau', provinceCode });
  }

  /** The manager's check-in of `week` (checkInBody with `patch`), as the API answers it. */
  checkIn(manager: { token: string }, mppId: string, week: string, patch: Record<string, unknown> = {}): Promise<ApiResponse<CheckInView>> {
    return this.as(manager.token).put<CheckInView>(`/api/v1/mpps/${mppId}/check-ins/${week}`, checkInBody(patch));
  }

  /** Sets the clock to `at` and has the admin evaluate `week`; the evaluation must be accepted. */
  async evaluateAt(week: string, at: string): Promise<void> {
    this.clock.set(at);
    const res = await this.admin.post(`/api/v1/cycles/${week}/evaluate`);
    if (res.status !== 200) throw new Error(`evaluate ${week} at ${at}: ${res.status} ${res.text}`);
  }

  async evaluation(week: string, mppId: string): Promise<EvaluationRow | undefined> {
    return (await this.admin.get<EvaluationRow[]>(`/api/v1/cycles/${week}/evaluations`)).body.find((e) => e.mppId === mppId);
  }

  async flagsOf(mppId: string, query = ''): Promise<FlagView[]> {
    return (await this.admin.get<FlagView[]>(`/api/v1/flags?mppId=${mppId}${query}`)).body;
  }

  /** Plans the manager reminders due at the clock's instant, as the scheduler's tick does. */
  async planReminders(): Promise<void> {
    await this.t.app.get(NotificationPlanner).planReminders(await this.t.app.get(EvaluationSettingsService).get());
  }

  /** The MPPs named in `week`'s manager reminders. */
  async remindedMpps(week: string): Promise<string[]> {
    const rows = await this.t.sql<{ id: string }>(
      `SELECT mpp->>'id' AS id FROM notifications n, jsonb_array_elements(n.payload->'mpps') AS mpp
        WHERE n.kind = 'manager_reminder' AND n.week = $1`,
      [week],
    );
    return rows.map((r) => r.id);
  }

  /** Waits until the outbox has nothing left to send (every row sent or dead). */
  settled(): Promise<void> {
    return waitUntil(
      async () =>
        (await this.t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE state NOT IN ('sent', 'dead')`))[0].n === 0,
      20_000,
      () => 'outbox to drain',
    );
  }

  /** Mail received for `email`, from the `from`-th message on. */
  mailTo(email: string, from = 0): ReceivedMail[] {
    return this.smtp.received.slice(from).filter((m) => m.to.includes(email));
  }
}
