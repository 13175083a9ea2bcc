import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public, Roles } from '../../common/auth/decorators';
import { IsoWeek } from '../../common/time/iso-week';
import { ParseIsoWeekPipe } from '../../common/time/iso-week.pipe';
import { CheckInPages } from './check-in-pages.service';
import { PageErrorFilter, PageGuard, PageRequest } from './page-session';

/** The manager's weekly job: the list of their MPPs, the form, planned closures, and the one-click link. */
@ApiExcludeController()
@Public()
@UseFilters(PageErrorFilter)
@Controller()
export class CheckInPagesController {
  constructor(private readonly pages: CheckInPages) {}

  @UseGuards(PageGuard)
  @Roles('manager')
  @Get('check-in')
  list(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    return this.pages.list(req, reply);
  }

  @UseGuards(PageGuard)
  @Roles('manager')
  @Get('check-in/:mppId/:week')
  form(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('mppId', ParseUUIDPipe) mppId: string,
    @Param('week', ParseIsoWeekPipe) week: IsoWeek,
    @Query('saved') saved?: string,
  ) {
    return this.pages.form(req, reply, req.user!, mppId, week, { saved, action: `/check-in/${mppId}/${week}` });
  }

  @UseGuards(PageGuard)
  @Roles('manager')
  @Post('check-in/:mppId/:week')
  submit(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('mppId', ParseUUIDPipe) mppId: string,
    @Param('week', ParseIsoWeekPipe) week: IsoWeek,
    @Body() form: Record<string, unknown>,
  ) {
    return this.pages.submit(req, reply, req.user!, mppId, week, form, `/check-in/${mppId}/${week}`);
  }

  @UseGuards(PageGuard)
  @Roles('manager')
  @Post('check-in/:mppId/:week/closures')
  closure(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @Param('mppId', ParseUUIDPipe) mppId: string,
    @Param('week', ParseIsoWeekPipe) week: IsoWeek,
    @Body() form: Record<string, unknown>,
  ) {
    return this.pages.closure(req, reply, mppId, week, form);
  }

  @Get('c/:token')
  link(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('token') token: string, @Query('saved') saved?: string) {
    return this.pages.linkForm(req, reply, token, saved);
  }

  @Post('c/:token')
  linkSubmit(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('token') token: string, @Body() form: Record<string, unknown>) {
    return this.pages.linkSubmit(req, reply, token, form);
  }
}
