import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public } from '../../common/auth/decorators';
import type { Principal } from '../../common/auth/principal';
import { ApiDoc } from '../../common/http/api-doc';
import type { PingInput } from './signal.rules';
import { SIGNALS_API } from './signals.api-docs';
import { CreateSignalSourceDto } from './signals.dto';
import { SignalsService } from './signals.service';

@ApiTags('signals')
@ApiBearerAuth()
@Controller('api/v1/mpps/:id/signal-sources')
export class SignalSourcesController {
  constructor(private readonly signals: SignalsService) {}

  @ApiDoc(SIGNALS_API.create)
  @Post()
  create(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateSignalSourceDto) {
    return this.signals.create(user, id, dto);
  }

  @ApiDoc(SIGNALS_API.list)
  @Get()
  list(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.signals.list(user, id);
  }

  @ApiDoc(SIGNALS_API.rotate)
  @Post(':sourceId/rotate')
  @HttpCode(200)
  rotate(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('sourceId', ParseUUIDPipe) sourceId: string) {
    return this.signals.rotate(user, id, sourceId);
  }

  @ApiDoc(SIGNALS_API.revoke)
  @Delete(':sourceId')
  @HttpCode(204)
  revoke(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('sourceId', ParseUUIDPipe) sourceId: string) {
    return this.signals.revoke(user, id, sourceId);
  }
}

/** The machines' end: `POST` or `GET /ping/{token}`, as heartbeat monitors are pinged. */
@ApiTags('signals')
@Public()
@Controller('ping')
export class PingController {
  constructor(private readonly signals: SignalsService) {}

  @ApiDoc(SIGNALS_API.ping)
  @ApiQuery({ name: 'date', required: false, example: '2026-12-01' })
  @ApiQuery({ name: 'tickets', required: false, example: '163' })
  @ApiQuery({ name: 'transactions', required: false, example: '171' })
  @Post(':token')
  @HttpCode(202)
  ping(@Param('token') token: string, @Query() query: PingInput) {
    return this.signals.ping(token, query);
  }

  @ApiDoc(SIGNALS_API.ping)
  @Get(':token')
  @HttpCode(202)
  pingByGet(@Param('token') token: string, @Query() query: PingInput) {
    return this.signals.ping(token, query);
  }
}
