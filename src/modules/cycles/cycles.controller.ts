import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import type { Principal } from '../../common/auth/principal';
import { EvaluationQuery, UpdateEvaluationSettingsDto } from './cycles.dto';
import { CyclesService } from './cycles.service';
import { EvaluationSettingsService } from './evaluation-settings.service';
import { ParseIsoWeekPipe } from '../../common/time/iso-week.pipe';

@ApiTags('cycles')
@ApiBearerAuth()
@Controller('api/v1')
export class CyclesController {
  constructor(
    private readonly cycles: CyclesService,
    private readonly settings: EvaluationSettingsService,
  ) {}

  @Get('cycles')
  list(@CurrentUser() user: Principal) {
    return this.cycles.list(user);
  }

  @Get('cycles/:week')
  get(@CurrentUser() user: Principal, @Param('week', ParseIsoWeekPipe) week: string) {
    return this.cycles.get(user, week);
  }

  @Roles('admin')
  @Post('cycles/:week/evaluate')
  @HttpCode(200)
  evaluate(@Param('week', ParseIsoWeekPipe) week: string) {
    return this.cycles.evaluateNow(week);
  }

  @Roles('admin')
  @Post('cycles/:week/unlock')
  @HttpCode(200)
  unlock(@Param('week', ParseIsoWeekPipe) week: string) {
    return this.cycles.unlock(week);
  }

  @Get('cycles/:week/evaluations')
  evaluations(@CurrentUser() user: Principal, @Param('week', ParseIsoWeekPipe) week: string, @Query() query: EvaluationQuery) {
    return this.cycles.evaluations(user, week, query);
  }

  @Roles('admin', 'ministry')
  @Get('settings/evaluation')
  getSettings() {
    return this.settings.get();
  }

  @Roles('admin')
  @Put('settings/evaluation')
  updateSettings(@CurrentUser() user: Principal, @Body() dto: UpdateEvaluationSettingsDto) {
    return this.settings.update(user, dto);
  }

  @Roles('admin')
  @Get('settings/evaluation/history')
  settingsHistory() {
    return this.settings.history();
  }
}
