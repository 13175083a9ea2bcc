import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public, Roles } from '../../common/auth/decorators';
import type { MultipartForm } from '../../common/http/multipart';
import { RegistryPages } from './registry-pages.service';
import { PageErrorFilter, PageGuard, PageRequest } from './page-session';

/** The admin's registry import (upload, preview, "Impor") and the registry files, for the page session. */
@ApiExcludeController()
@Public()
@UseGuards(PageGuard)
@UseFilters(PageErrorFilter)
@Roles('admin')
@Controller('admin/registry')
export class RegistryPagesController {
  constructor(private readonly pages: RegistryPages) {}

  @Post()
  preview(@Req() req: PageRequest, @Res() reply: FastifyReply, @Body() form: MultipartForm) {
    return this.pages.preview(req, reply, form ?? {});
  }

  @Post('import')
  import(@Req() req: PageRequest, @Res() reply: FastifyReply, @Body() form: MultipartForm) {
    return this.pages.import(req, reply, form ?? {});
  }

  /** `registri.xlsx`, `templat.csv` …: the API's export and template. */
  @Get(':file')
  download(@Res() reply: FastifyReply, @Param('file') file: string) {
    return this.pages.download(reply, file);
  }
}
