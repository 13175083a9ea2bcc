import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import type { Principal } from '../../common/auth/principal';
import { ApiDoc } from '../../common/http/api-doc';
import { CITIZEN_REPORTS_API } from './citizen-reports.api-docs';
import { DisputesService } from './disputes.service';

@ApiTags('disputes')
@ApiBearerAuth()
@Controller('api/v1/mpps/:id/disputes')
export class DisputesController {
  constructor(private readonly disputes: DisputesService) {}

  @ApiDoc(CITIZEN_REPORTS_API.disputes)
  @Roles('admin', 'ministry', 'bureau')
  @Get()
  list(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.disputes.list(user, id);
  }

  @ApiDoc(CITIZEN_REPORTS_API.confirm)
  @Roles('admin', 'bureau')
  @Post(':week/confirm')
  @HttpCode(200)
  confirm(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('week') week: string) {
    return this.disputes.confirm(user, id, week);
  }
}
