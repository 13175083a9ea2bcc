import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

/** Stops the per-minute cycle cron, so the test drives `tick()` itself at the times it chooses. */
export async function stopCycleCron(app: INestApplication): Promise<void> {
  await app.get(SchedulerRegistry).getCronJob('cycles').stop();
}
