import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { jsonListAnswer } from '../../common/paging/paging';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import type { Principal } from '../../common/auth/principal';
import { ClosureDecisionDto, CreateClosureDto, UpdateClosureDto } from './closures.dto';
import { ClosuresService } from './closures.service';
import { CreateMppDto, MppQuery, RetireMppDto, UpdateMppDto } from './mpps.dto';
import { RetirementService } from './retirement.service';
import { MppsService } from './mpps.service';
import { ApiDoc } from '../../common/http/api-doc';
import { MPPS_API } from './mpps.api-docs';

@ApiTags('mpps')
@ApiBearerAuth()
@Controller('api/v1/mpps')
export class MppsController {
  constructor(
    private readonly mpps: MppsService,
    private readonly closures: ClosuresService,
    private readonly retirement: RetirementService,
  ) {}

  @ApiDoc(MPPS_API.create)
  @Roles('admin')
  @Post()
  create(@Body() dto: CreateMppDto) {
    return this.mpps.create(dto);
  }

  @ApiDoc(MPPS_API.list)
  @Get()
  async list(@CurrentUser() user: Principal, @Query() query: MppQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return jsonListAnswer(reply, await this.mpps.listJson(user, query));
  }

  @ApiDoc(MPPS_API.get)
  @Get(':id')
  get(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.mpps.get(user, id);
  }

  @ApiDoc(MPPS_API.update)
  @Roles('admin')
  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateMppDto) {
    return this.mpps.update(id, dto);
  }

  @ApiDoc(MPPS_API.retire)
  @Roles('admin')
  @Post(':id/retire')
  @HttpCode(200)
  retire(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RetireMppDto) {
    return this.retirement.retire(id, dto);
  }

  @ApiDoc(MPPS_API.declareClosure)
  @Post(':id/closures')
  declareClosure(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateClosureDto) {
    return this.closures.declare(user, id, dto);
  }

  @ApiDoc(MPPS_API.updateClosure)
  @Patch(':id/closures/:closureId')
  updateClosure(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('closureId', ParseUUIDPipe) closureId: string,
    @Body() dto: UpdateClosureDto,
  ) {
    return this.closures.update(user, id, closureId, dto);
  }

  @ApiDoc(MPPS_API.withdrawClosure)
  @Delete(':id/closures/:closureId')
  @HttpCode(204)
  withdrawClosure(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('closureId', ParseUUIDPipe) closureId: string,
  ) {
    return this.closures.withdraw(user, id, closureId);
  }

  @ApiDoc(MPPS_API.decideClosure)
  @Roles('admin', 'bureau')
  @Post(':id/closures/:closureId/decision')
  @HttpCode(200)
  decideClosure(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('closureId', ParseUUIDPipe) closureId: string,
    @Body() dto: ClosureDecisionDto,
  ) {
    return this.closures.decide(user, id, closureId, dto);
  }

  @ApiDoc(MPPS_API.listClosures)
  @Get(':id/closures')
  listClosures(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.closures.list(user, id);
  }
}
