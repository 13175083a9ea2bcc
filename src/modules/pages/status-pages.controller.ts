import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/decorators';
import { CitizenReportsService } from '../citizen-reports/citizen-reports.service';
import { openStreetMapUrl } from '../mpps/coordinates.rules';
import { PublicStatusService } from '../public-status/public-status.service';
import type { PublicMppView } from '../public-status/public-status.dto';
import { PageErrorFilter, PageRequest } from './page-session';
import { PageView } from './page-view';
import { REPORT_SCRIPT } from './report-script';

/** The public status pages (no login): every MPP by province, and one MPP with its 8-week strip. */
@ApiExcludeController()
@Public()
@UseFilters(PageErrorFilter)
@Controller('status')
export class StatusPagesController {
  constructor(
    private readonly status: PublicStatusService,
    private readonly view: PageView,
    private readonly reports: CitizenReportsService,
  ) {}

  @Get()
  async all(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const { body } = await this.status.list();
    return this.view.render(req, reply, 'status', { title: 'Status MPP', provinces: byProvince(body), week: body[0]?.week });
  }

  /** The report form's script: our own origin, so the CSP needs no exception. */
  @Get('report.js')
  script(@Res() reply: FastifyReply) {
    return reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(REPORT_SCRIPT);
  }

  @Get('mpp/:id/lapor')
  async reportForm(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const { body } = await this.status.one(id);
    return this.view.render(req, reply, 'status-report', { title: body.name, mpp: body });
  }

  @Get('mpp/:id/terima-kasih')
  async thanks(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const { body } = await this.status.one(id);
    return this.view.render(req, reply, 'status-thanks', { title: body.name, mpp: body });
  }

  /** The A4 poster for the MPP's door, with the QR code to its report page. */
  @Get('mpp/:id/poster.pdf')
  async poster(@Res() reply: FastifyReply, @Param('id') id: string) {
    const { body } = await this.status.one(id);
    const pdf = await this.reports.poster(body);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="poster-mpp-${body.id}.pdf"`)
      .header('cache-control', 'public, max-age=3600')
      .send(pdf);
  }

  @Get('mpp/:id')
  async one(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const { body } = await this.status.one(id);
    const mapUrl = body.latitude !== null && body.longitude !== null ? openStreetMapUrl(body.latitude, body.longitude) : null;
    return this.view.render(req, reply, 'status-mpp', { title: body.name, mpp: body, mapUrl });
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
