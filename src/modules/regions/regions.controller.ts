import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RegencyQuery } from './regions.dto';
import { RegionsService } from './regions.service';

@ApiTags('regions')
@ApiBearerAuth()
@Controller('api/v1')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get('provinces')
  provinces() {
    return this.regions.listProvinces();
  }

  @Get('regencies')
  regencies(@Query() query: RegencyQuery) {
    return this.regions.listRegencies(query.province);
  }
}
