import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
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
  ) {}

  @ApiDoc(HEALTH_API.live)
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  @ApiDoc(HEALTH_API.ready)
  @Get('health/ready')
  async ready(@Res() reply: FastifyReply) {
    const readiness = await this.health.readiness();
    return reply.status(readiness.status === 'ok' ? 200 : 503).send(readiness);
  }

  @ApiExcludeEndpoint()
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  metricsText() {
    return this.metrics.registry.metrics();
  }
}
