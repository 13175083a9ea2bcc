import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, SessionCheckedByHandler } from '../../common/auth/decorators';
import type { Principal } from '../../common/auth/principal';
import { ParseIsoWeekPipe } from '../../common/time/iso-week.pipe';
import { CheckInDto, CheckInQuery } from './check-ins.dto';
import { CheckInsService } from './check-ins.service';
import { ApiDoc } from '../../common/http/api-doc';
import { CHECK_INS_API } from './check-ins.api-docs';

@ApiTags('check-ins')
@ApiBearerAuth()
@Controller('api/v1/mpps/:id/check-ins')
export class CheckInsController {
  constructor(private readonly checkIns: CheckInsService) {}

  /** 201 for the week's first check-in, 200 for a revision (or the same body again). */
  @ApiDoc(CHECK_INS_API.submit)
  @SessionCheckedByHandler()
  @Put(':week')
  async submit(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('week', ParseIsoWeekPipe) week: string,
    @Body() dto: CheckInDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, checkIn } = await this.checkIns.submit(user, id, week, dto);
    reply.status(created ? 201 : 200);
    return checkIn;
  }

  @ApiDoc(CHECK_INS_API.get)
  @Get(':week')
  get(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('week', ParseIsoWeekPipe) week: string,
    @Query() query: CheckInQuery,
  ) {
    return query.revisions === 'all' ? this.checkIns.revisions(user, id, week) : this.checkIns.get(user, id, week);
  }
}
