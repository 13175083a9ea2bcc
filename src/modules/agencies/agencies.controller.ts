import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/decorators';
import { ApiDoc } from '../../common/http/api-doc';
import { AGENCIES_API } from './agencies.api-docs';
import { CreateAgencyDto } from './agencies.dto';
import { AgenciesService } from './agencies.service';

@ApiTags('agencies')
@ApiBearerAuth()
@Controller('api/v1/agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @ApiDoc(AGENCIES_API.list)
  @Get()
  list() {
    return this.agencies.list();
  }

  @ApiDoc(AGENCIES_API.create)
  @Roles('admin')
  @Post()
  create(@Body() dto: CreateAgencyDto) {
    return this.agencies.create(dto);
  }
}
