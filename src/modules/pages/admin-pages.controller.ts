import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public, Roles } from '../../common/auth/decorators';
import { AdminPages } from './admin-pages.service';
import { PageErrorFilter, PageGuard, PageRequest } from './page-session';

/** The admin's MPP and user pages: the registry form, tenants, and managers chosen by search (`?cari=`). */
@ApiExcludeController()
@Public()
@UseGuards(PageGuard)
@UseFilters(PageErrorFilter)
@Roles('admin')
@Controller('admin')
export class AdminPagesController {
  constructor(private readonly pages: AdminPages) {}

  @Get('users/:id')
  editUser(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('cari') search?: string,
    @Query('saved') saved?: string,
  ) {
    return this.pages.editUser(req, reply, id, { search, saved });
  }

  @Post('users/:id')
  updateUser(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: Record<string, unknown>,
  ) {
    return this.pages.updateUser(req, reply, id, form);
  }

  @Post('users/:id/mpps')
  addMpp(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: Record<string, unknown>,
  ) {
    return this.pages.changeManagedMpp(req, reply, id, form, 'add');
  }

  @Post('users/:id/mpps/remove')
  removeMpp(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: Record<string, unknown>,
  ) {
    return this.pages.changeManagedMpp(req, reply, id, form, 'remove');
  }

  @Get('mpps/:id')
  editMpp(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('cari') search?: string,
    @Query('saved') saved?: string,
  ) {
    return this.pages.editMpp(req, reply, id, { search, saved });
  }

  @Post('mpps/:id')
  updateMpp(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: Record<string, unknown>,
  ) {
    return this.pages.updateMpp(req, reply, id, form);
  }

  @Post('mpps/:id/managers')
  addManager(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: Record<string, unknown>,
  ) {
    return this.pages.changeManager(req, reply, id, form, 'add');
  }

  @Post('mpps/:id/managers/remove')
  removeManager(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: Record<string, unknown>,
  ) {
    return this.pages.changeManager(req, reply, id, form, 'remove');
  }
}
