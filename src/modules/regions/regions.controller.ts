import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RegencyQuery } from './regions.dto';
import { RegionsService } from './regions.service';
import { ApiDoc } from '../../common/http/api-doc';
import { REGIONS_API } from './regions.api-docs';

@ApiTags('regions')
@ApiBearerAuth()
@Controller('api/v1')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @ApiDoc(REGIONS_API.provinces)
  @Get('provinces')
  provinces() {
    return this.regions.listProvinces();
  }

  @ApiDoc(REGIONS_API.regencies)
  @Get('regencies')
  regencies(@Query() query: RegencyQuery) {
    return this.regions.listRegencies(query.province);
  }
}
