import { AgenciesModule } from './modules/agencies/agencies.module';
import { AuditModule } from './modules/audit/audit.module';
import { RegistryModule } from './modules/registry/registry.module';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { Clock } from './common/clock';
import { CommonModule } from './common/common.module';
import { AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source';
import { AuthModule } from './modules/auth/auth.module';
import { CalendarModule } from './modules/calendar/calendar.module';
import { CheckInsModule } from './modules/check-ins/check-ins.module';
import { CyclesSchedulerModule } from './modules/cycles/cycles-scheduler.module';
import { CyclesModule } from './modules/cycles/cycles.module';
import { FlagsModule } from './modules/flags/flags.module';
import { HealthModule } from './modules/health/health.module';
import { MailModule } from './modules/mail/mail.module';
import { QueueModule } from './modules/queue/queue.module';
import { MppsModule } from './modules/mpps/mpps.module';
import { NotificationsWorkerModule } from './modules/notifications/notifications-worker.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { PagesModule } from './modules/pages/pages.module';
import { RegionsModule } from './modules/regions/regions.module';
import { ReportsModule } from './modules/reports/reports.module';
import { UsersModule } from './modules/users/users.module';
import { maskUrl } from './common/http/mask-url';
import { SignalsModule } from './modules/signals/signals.module';
import { PublicStatusModule } from './modules/public-status/public-status.module';
import { CitizenReportsModule } from './modules/citizen-reports/citizen-reports.module';

@Module({})
export class AppModule {
  /** The whole app for one process; `config.mode` decides whether it also runs worker and scheduler. */
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule.forRoot(config, clock),
        LoggerModule.forRoot({
          // nestjs-pino's default route pattern matches nothing under Nest 12 + Fastify (no request
          // was ever logged): name every path explicitly.
          forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.logLevel,
            // The id Fastify gave the request (requestIds: a trusted proxy's x-request-id, else a UUID).
            genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? randomUUID(),
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'],
              censor: '[redacted]',
            },
            // Links carry their secret in the URL: logs keep the route, not the token.
            serializers: { req: (req: { url?: string }) => ({ ...req, url: maskUrl(req.url) }) },
            autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health/live' || req.url === '/metrics' },
            // The process's role on every line, as a base binding: customProps cost a child logger
            // and a JSON.stringify per request.
            base: { pid: process.pid, hostname: hostname(), mode: config.mode },
          },
        }),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl), autoLoadEntities: true, migrationsRun: false }),
        QueueModule.forRoot(config),
        RegionsModule,
        UsersModule,
        AuthModule,
        MppsModule,
        AgenciesModule,
        RegistryModule,
        CalendarModule,
        CyclesModule,
        CheckInsModule,
        FlagsModule,
        SignalsModule,
        PublicStatusModule,
        CitizenReportsModule,
        HealthModule,
        AuditModule,
        MailModule,
        NotificationsModule,
        ReportsModule,
        PagesModule,
        ...(config.runsWorker ? [CyclesSchedulerModule, NotificationsWorkerModule] : []),
      ],
    };
  }
}
