import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/decorators';
import { ApiDoc } from '../../common/http/api-doc';
import { sendCached } from '../../common/http/http-cache';
import { PUBLIC_STATUS_API } from './public-status.api-docs';
import { PublicMppsQuery } from './public-status.dto';
import { PublicStatusService } from './public-status.service';

@ApiTags('public')
@Public()
@Controller('api/v1/public')
export class PublicStatusController {
  constructor(private readonly status: PublicStatusService) {}

  @ApiDoc(PUBLIC_STATUS_API.list)
  @Get('mpps')
  async list(@Query() query: PublicMppsQuery, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply) {
    return sendCached(reply, ifNoneMatch, await this.status.listEtag(query.province), () => this.status.list(query.province));
  }
}
