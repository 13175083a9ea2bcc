import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { listAnswer } from '../../common/paging/paging';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/decorators';
import type { Principal } from '../../common/auth/principal';
import { ActionDto, FlagQuery, TransitionDto } from './flags.dto';
import { FlagsService } from './flags.service';
import { ApiDoc } from '../../common/http/api-doc';
import { FLAGS_API } from './flags.api-docs';

@ApiTags('flags')
@ApiBearerAuth()
@Controller('api/v1/flags')
export class FlagsController {
  constructor(private readonly flags: FlagsService) {}

  @ApiDoc(FLAGS_API.list)
  @Get()
  async list(@CurrentUser() user: Principal, @Query() query: FlagQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return listAnswer(reply, await this.flags.listPage(user, query));
  }

  @ApiDoc(FLAGS_API.get)
  @Get(':id')
  get(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.flags.get(user, id);
  }

  @ApiDoc(FLAGS_API.transition)
  @Post(':id/transitions')
  @HttpCode(200)
  transition(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: TransitionDto) {
    return this.flags.transition(user, id, dto);
  }

  @ApiDoc(FLAGS_API.addAction)
  @Post(':id/actions')
  @HttpCode(201)
  addAction(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ActionDto) {
    return this.flags.addAction(user, id, dto);
  }
}
