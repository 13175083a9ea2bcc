import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import type { Principal } from '../../common/auth/principal';
import { EvaluationQuery, UpdateEvaluationSettingsDto } from './cycles.dto';
import { CyclesService } from './cycles.service';
import { EvaluationSettingsService } from './evaluation-settings.service';
import { ParseIsoWeekPipe } from '../../common/time/iso-week.pipe';
import { ApiDoc } from '../../common/http/api-doc';
import { CYCLES_API } from './cycles.api-docs';

@ApiTags('cycles')
@ApiBearerAuth()
@Controller('api/v1')
export class CyclesController {
  constructor(
    private readonly cycles: CyclesService,
    private readonly settings: EvaluationSettingsService,
  ) {}

  @ApiDoc(CYCLES_API.list)
  @Get('cycles')
  list(@CurrentUser() user: Principal) {
    return this.cycles.list(user);
  }

  @ApiDoc(CYCLES_API.get)
  @Get('cycles/:week')
  get(@CurrentUser() user: Principal, @Param('week', ParseIsoWeekPipe) week: string) {
    return this.cycles.get(user, week);
  }

  @ApiDoc(CYCLES_API.evaluate)
  @Roles('admin')
  @Post('cycles/:week/evaluate')
  @HttpCode(200)
  evaluate(@Param('week', ParseIsoWeekPipe) week: string) {
    return this.cycles.evaluateNow(week);
  }

  @ApiDoc(CYCLES_API.unlock)
  @Roles('admin')
  @Post('cycles/:week/unlock')
  @HttpCode(200)
  unlock(@Param('week', ParseIsoWeekPipe) week: string) {
    return this.cycles.unlock(week);
  }

  @ApiDoc(CYCLES_API.evaluations)
  @Get('cycles/:week/evaluations')
  evaluations(@CurrentUser() user: Principal, @Param('week', ParseIsoWeekPipe) week: string, @Query() query: EvaluationQuery) {
    return this.cycles.evaluations(user, week, query);
  }

  @ApiDoc(CYCLES_API.getSettings)
  @Roles('admin', 'ministry')
  @Get('settings/evaluation')
  getSettings() {
    return this.settings.get();
  }

  @ApiDoc(CYCLES_API.updateSettings)
  @Roles('admin')
  @Put('settings/evaluation')
  updateSettings(@CurrentUser() user: Principal, @Body() dto: UpdateEvaluationSettingsDto) {
    return this.settings.update(user, dto);
  }

  @ApiDoc(CYCLES_API.settingsHistory)
  @Roles('admin')
  @Get('settings/evaluation/history')
  settingsHistory() {
    return this.settings.history();
  }
}
