import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public, Roles } from '../../common/auth/decorators';
import { OversightPages } from './oversight-pages.service';
import { PageErrorFilter, PageGuard, PageRequest } from './page-session';

/** The bureau's province and flag pages, the ministry's national page and the admin page. */
@ApiExcludeController()
@Public()
@UseGuards(PageGuard)
@UseFilters(PageErrorFilter)
@Controller()
export class OversightPagesController {
  constructor(private readonly pages: OversightPages) {}

  @Roles('bureau')
  @Get('bureau')
  bureau(@Req() req: PageRequest, @Res() reply: FastifyReply, @Query('page') page?: string, @Query('state') state?: string) {
    return this.pages.bureau(req, reply, Number.parseInt(page ?? '1', 10) || 1, state);
  }

  @Roles('bureau', 'ministry', 'admin')
  @Get('flags/:id')
  flag(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Query('saved') saved?: string) {
    return this.pages.flag(req, reply, id, { saved: saved === '1', actionSaved: saved === 'action' });
  }

  @Roles('bureau', 'ministry', 'admin')
  @Post('flags/:id/transitions')
  transition(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: Record<string, unknown>,
  ) {
    return this.pages.transition(req, reply, id, form);
  }

  @Roles('bureau', 'ministry', 'admin')
  @Post('flags/:id/actions')
  addAction(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: Record<string, unknown>,
  ) {
    return this.pages.addAction(req, reply, id, form);
  }

  @Roles('ministry', 'admin')
  @Get('national')
  national(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    return this.pages.national(req, reply);
  }

  /** The drill-down: one province's MPPs and cases as its bureau sees them. */
  @Roles('ministry', 'admin')
  @Get('national/provinsi/:code')
  province(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Query('page') page?: string,
    @Query('state') state?: string,
  ) {
    return this.pages.provinceForMinistry(req, reply, code, Number.parseInt(page ?? '1', 10) || 1, state);
  }

  /** `/national/2026-W48.xlsx`: the API's export, for the signed-in page session. */
  @Roles('ministry', 'admin')
  @Get('national/:file')
  download(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('file') file: string) {
    return this.pages.download(req, reply, file);
  }

  @Roles('admin')
  @Get('admin')
  admin(@Req() req: PageRequest, @Res() reply: FastifyReply, @Query('saved') saved?: string) {
    return this.pages.admin(req, reply, { saved: saved === '1' });
  }

  @Roles('admin')
  @Post('admin/:action')
  adminAction(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('action') action: string, @Body() form: Record<string, unknown>) {
    return this.pages.adminAction(req, reply, action, null, form);
  }

  @Roles('admin')
  @Post('admin/users/:id/deactivate')
  deactivate(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string) {
    return this.pages.adminAction(req, reply, 'deactivate', id, {});
  }
}
