import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Metrics } from '../../common/observability/metrics';
import { NotificationPlanner } from '../notifications/notification.planner';
import { OutboxDispatcher } from '../notifications/outbox.dispatcher';
import { CyclesService } from './cycles.service';
import { EvaluationSettingsService } from './evaluation-settings.service';
import { CYCLES_OVERDUE } from './cycle.metrics';

/**
 * The weekly schedule: cycles, their evaluation, and the reminders before each deadline.
 * The cron only asks the database what is due; due times live in `cycles`, so a process that was
 * down catches up at start, and replicas running the same cron are harmless (row-lock claim).
 */
@Injectable()
export class CyclesScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(CyclesScheduler.name);
  private running = false;

  constructor(
    private readonly cycles: CyclesService,
    private readonly settings: EvaluationSettingsService,
    private readonly planner: NotificationPlanner,
    private readonly outbox: OutboxDispatcher,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tick();
  }

  @Cron(CronExpression.EVERY_MINUTE, { name: 'cycles' })
  async tick(): Promise<number> {
    if (this.running) return 0; // a long run in this process is still going; the next tick resumes
    this.running = true;
    let evaluated = 0;
    try {
      await this.cycles.ensureCycles();
      for (const week of await this.cycles.dueWeeks()) {
        if (await this.cycles.evaluateIfDue(week)) evaluated++;
      }
      this.metrics.gauge(CYCLES_OVERDUE).set((await this.cycles.dueWeeks()).length);
      // The first rung of the escalation ladder: reminders before each zone's deadline.
      await this.outbox.dispatch(await this.planner.planReminders(await this.settings.get()));
    } catch (e) {
      this.logger.error({ err: e }, 'Cycle tick failed; the next tick retries');
    } finally {
      this.running = false;
    }
    return evaluated;
  }
}
