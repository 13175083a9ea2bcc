import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/decorators';
import { PublicStatusService } from '../public-status/public-status.service';
import type { PublicMppView } from '../public-status/public-status.dto';
import { PageErrorFilter, PageRequest } from './page-session';
import { PageView } from './page-view';

/** The public status pages (no login): every MPP by province, and one MPP with its 8-week strip. */
@ApiExcludeController()
@Public()
@UseFilters(PageErrorFilter)
@Controller('status')
export class StatusPagesController {
  constructor(
    private readonly status: PublicStatusService,
    private readonly view: PageView,
  ) {}

  @Get()
  async all(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const { body } = await this.status.list();
    return this.view.render(req, reply, 'status', { title: 'Status MPP', provinces: byProvince(body), week: body[0]?.week });
  }

  @Get('mpp/:id')
  async one(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const { body } = await this.status.one(id);
    return this.view.render(req, reply, 'status-mpp', { title: body.name, mpp: body });
  }
}

function byProvince(mpps: PublicMppView[]): { code: string; name: string; mpps: PublicMppView[] }[] {
  const groups = new Map<string, { code: string; name: string; mpps: PublicMppView[] }>();
  for (const mpp of mpps) {
    const group = groups.get(mpp.provinceCode) ?? { code: mpp.provinceCode, name: mpp.provinceName, mpps: [] };
    group.mpps.push(mpp);
    groups.set(mpp.provinceCode, group);
  }
  return [...groups.values()];
}
