import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors';
import { AppConfig } from '../../config/app-config';
import { Public } from '../../common/auth/decorators';
import { Metrics } from '../../common/observability/metrics';
import { HealthService } from './health.service';
import { ApiDoc } from '../../common/http/api-doc';
import { HEALTH_API } from './health.api-docs';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  @ApiDoc(HEALTH_API.live)
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  @ApiDoc(HEALTH_API.ready)
  @Get('health/ready')
  async ready(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    // Anyone (a load balancer) learns up or down; the outbox detail is for the operators' token.
    const readiness = await this.health.readiness({ detail: this.isOperator(req) });
    return reply.status(readiness.status === 'ok' ? 200 : 503).send(readiness);
  }

  @ApiExcludeEndpoint()
  @Get('metrics')
  async metricsText(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    if (this.config.metricsToken ? !this.isOperator(req) : this.config.nodeEnv === 'production') {
      // In production /metrics is served only to METRICS_TOKEN; without one it does not exist.
      throw this.config.metricsToken ? AppError.unauthorized('METRICS_TOKEN required') : AppError.notFound('Route');
    }
    // The content type only on success: a refusal answers in the API's JSON error shape.
    return reply.header('content-type', 'text/plain; version=0.0.4').send(await this.metrics.registry.metrics());
  }

  /** The request carries METRICS_TOKEN as a bearer token (compared in constant time). */
  private isOperator(req: FastifyRequest): boolean {
    const token = this.config.metricsToken;
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !given) return false;
    const digest = (v: string) => createHash('sha256').update(v).digest();
    return timingSafeEqual(digest(given), digest(token));
  }
}
