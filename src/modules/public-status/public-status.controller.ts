import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/decorators';
import { ApiDoc } from '../../common/http/api-doc';
import { AnswerCache } from '../../common/http/answer-cache';
import { PUBLIC_STATUS_API } from './public-status.api-docs';
import { PublicMppsQuery } from './public-status.dto';
import { PublicStatusService } from './public-status.service';

@ApiTags('public')
@Public()
@Controller('api/v1/public')
export class PublicStatusController {
  constructor(
    private readonly status: PublicStatusService,
    private readonly cache: AnswerCache,
  ) {}

  @ApiDoc(PUBLIC_STATUS_API.list)
  @Get('mpps')
  async list(@Query() query: PublicMppsQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.cache.send(req, reply, await this.status.listAnswer(query.province));
  }
}
