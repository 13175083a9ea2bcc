import { ParseDatePipe } from '../../common/http/param-pipes';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import type { Principal } from '../../common/auth/principal';
import { CreateHolidayDto, HolidayQuery } from './holidays.dto';
import { HolidaysService } from './holidays.service';
import { ApiDoc } from '../../common/http/api-doc';
import { HOLIDAYS_API } from './holidays.api-docs';

@ApiTags('holidays')
@ApiBearerAuth()
@Controller('api/v1/holidays')
export class HolidaysController {
  constructor(private readonly holidays: HolidaysService) {}

  @ApiDoc(HOLIDAYS_API.list)
  @Get()
  list(@Query() query: HolidayQuery) {
    return this.holidays.list(query.year);
  }

  @ApiDoc(HOLIDAYS_API.add)
  @Roles('admin')
  @Post()
  add(@CurrentUser() user: Principal, @Body() dto: CreateHolidayDto) {
    return this.holidays.add(user, dto);
  }

  @ApiDoc(HOLIDAYS_API.remove)
  @Roles('admin')
  @Delete(':date')
  @HttpCode(204)
  remove(@Param('date', ParseDatePipe) date: string) {
    return this.holidays.remove(date);
  }
}
