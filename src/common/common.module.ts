import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AuditLog } from './audit/audit-log';
import { Clock } from './clock';
import { AnswerCache } from './http/answer-cache';
import { Metrics } from './observability/metrics';

/** Process-wide providers: the validated config, the clock, the metrics registry, the audit log, the public answers kept. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: AppConfig, clock: Clock = new Clock()): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: AppConfig, useValue: config }, { provide: Clock, useValue: clock }, Metrics, AuditLog, AnswerCache],
      exports: [AppConfig, Clock, Metrics, AuditLog, AnswerCache],
    };
  }
}
