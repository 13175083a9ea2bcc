import { Body, Controller, Get, HttpCode, Ip, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/decorators';
import { ApiDoc } from '../../common/http/api-doc';
import { CITIZEN_REPORTS_API } from './citizen-reports.api-docs';
import { CreateCitizenReportDto } from './citizen-reports.dto';
import { CitizenReportsService } from './citizen-reports.service';

@ApiTags('public')
@Public()
@Controller('api/v1/public')
export class CitizenReportsController {
  constructor(private readonly reports: CitizenReportsService) {}

  @ApiDoc(CITIZEN_REPORTS_API.challenge)
  @Get('challenge')
  challenge() {
    return this.reports.challenge();
  }

  @ApiDoc(CITIZEN_REPORTS_API.report)
  @Post('mpps/:id/reports')
  @HttpCode(202)
  report(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateCitizenReportDto, @Ip() ip: string) {
    return this.reports.submit(id, body, ip);
  }
}
