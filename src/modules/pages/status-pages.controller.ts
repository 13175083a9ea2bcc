import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/decorators';
import { CitizenReportsService } from '../citizen-reports/citizen-reports.service';
import { openStreetMapUrl } from '../mpps/coordinates.rules';
import { PublicStatusService } from '../public-status/public-status.service';
import { AppError } from '../../common/errors';
import { placeName } from '../../common/i18n/place-name';
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

  /** The index: each province with its counts per status (a national list of every MPP is too long for a phone). */
  @Get()
  async all(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    return this.view.renderPublic(req, reply, 'status', await this.status.version(), async () => ({
      title: 'Status MPP',
      ...(await this.status.provinces()),
    }));
  }

  /** One province's MPPs, each with its 8-week strip. */
  @Get('provinsi/:code')
  async province(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('code') code: string) {
    return this.view.renderPublic(req, reply, 'status-province', await this.status.version(), () => provincePage(this.status, code));
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
    const mpp = await this.status.one(id);
    return this.view.render(req, reply, 'status-report', { title: mpp.name, mpp });
  }

  @Get('mpp/:id/terima-kasih')
  async thanks(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const mpp = await this.status.one(id);
    return this.view.render(req, reply, 'status-thanks', { title: mpp.name, mpp });
  }

  /** The A4 poster for the MPP's door, with the QR code to its report page. */
  @Get('mpp/:id/poster.pdf')
  async poster(@Res() reply: FastifyReply, @Param('id') id: string) {
    const body = await this.status.one(id);
    const pdf = await this.reports.poster(body);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="poster-mpp-${body.id}.pdf"`)
      .header('cache-control', 'public, max-age=3600')
      .send(pdf);
  }

  @Get('mpp/:id')
  async one(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    return this.view.renderPublic(req, reply, 'status-mpp', await this.status.version(), async () => {
      const mpp = await this.status.one(id);
      const mapUrl = mpp.latitude !== null && mpp.longitude !== null ? openStreetMapUrl(mpp.latitude, mpp.longitude) : null;
      return { title: mpp.name, mpp, mapUrl };
    });
  }
}

/** A province without monitored MPPs (or no province at all) is not a page: the index links only those with MPPs. */
async function provincePage(status: PublicStatusService, code: string): Promise<Record<string, unknown>> {
  const mpps = /^\d{2}$/.test(code) ? await status.list(code) : [];
  if (!mpps.length) throw AppError.notFound('Province');
  return { title: placeName(mpps[0].provinceName), name: mpps[0].provinceName, week: mpps[0].week, mpps };
}
