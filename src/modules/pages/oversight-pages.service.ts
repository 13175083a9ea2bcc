import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors';
import { mppScopeOf, type Principal } from '../../common/auth/principal';
import { isValidIsoWeek, localDate } from '../../common/time/iso-week';
import type { IndonesianTimezone } from '../../common/time/timezones';
import { weekShortText } from '../../common/time/week-text';
import { UpdateEvaluationSettingsDto } from '../cycles/cycles.dto';
import { EvaluationSettingsService } from '../cycles/evaluation-settings.service';
import { RESULTS } from '../cycles/evaluation.rules';
import { ActionDto, TransitionDto } from '../flags/flags.dto';
import { ACTION_KINDS, allowedTransitions } from '../flags/flag.rules';
import { FlagsService } from '../flags/flags.service';
import { CreateMppDto } from '../mpps/mpps.dto';
import { MppsService } from '../mpps/mpps.service';
import { placeName } from '../../common/i18n/place-name';
import { RegionsService } from '../regions/regions.service';
import { DisputesService } from '../citizen-reports/disputes.service';
import { ReportExports } from '../reports/report-exports.service';
import { ReportsService } from '../reports/reports.service';
import { ReportAnswers } from '../reports/report-answers';
import { CreateUserDto } from '../users/users.dto';
import { UsersService } from '../users/users.service';
import { pairedBars, weeklyBars } from './charts';
import { PageTexts } from './page-i18n';
import { PageRequest } from './page-session';
import { PageEngine } from './page-engine';
import { PageView } from './page-view';
import type { Locale } from '../../common/i18n/locale';
import type { ProvinceWeek } from '../reports/reports.types';
import { formErrorKey, formText, isFormProblem, validForm } from './validate-form';

const BUREAU_PAGE_SIZE = 50;

const TRANSITION_LABEL: Record<string, string> = {
  acknowledged: 'flag.acknowledge',
  in_follow_up: 'flag.followUp',
  resolved: 'flag.resolve',
};

@Injectable()
export class OversightPages {
  constructor(
    private readonly view: PageView,
    private readonly texts: PageTexts,
    private readonly flags: FlagsService,
    private readonly reports: ReportsService,
    private readonly exports: ReportExports,
    private readonly users: UsersService,
    private readonly mpps: MppsService,
    private readonly settings: EvaluationSettingsService,
    private readonly clock: Clock,
    private readonly regions: RegionsService,
    private readonly disputes: DisputesService,
    private readonly answers: ReportAnswers,
    private readonly engine: PageEngine,
  ) {}

  /** The province's MPPs in their live week (50 a page, optionally of one state), open cases first, and what is overdue. */
  async bureau(req: PageRequest, reply: FastifyReply, page: number, state?: string) {
    return this.provincePage(req, reply, req.user!, { page, state, base: '/bureau' });
  }

  /**
   * The ministry's drill-down from the national page: one province as its bureau sees it. Read
   * through a principal scoped to that province (ministry and admin already see every province;
   * the page only reads), so the figures are exactly the bureau's.
   */
  async provinceForMinistry(req: PageRequest, reply: FastifyReply, code: string, page: number, state?: string) {
    const province = (await this.regions.listProvinces()).find((p) => p.code === code);
    if (!province) throw AppError.notFound('Province');
    const reader: Principal = { ...req.user!, role: 'bureau', provinceCode: code, mppIds: [] };
    return this.provincePage(req, reply, reader, { page, state, base: `/national/provinsi/${code}`, back: '/national' });
  }

  private async provincePage(
    req: PageRequest,
    reply: FastifyReply,
    user: Principal,
    opts: { page: number; state?: string; base: string; back?: string },
  ) {
    const { page, state } = opts;
    const now = this.clock.now();
    const provinceCode = user.provinceCode!;
    const { live, provinceName, timezone, latestEvaluated } = await this.reports.provinceWeek(user, {
      page,
      pageSize: BUREAU_PAGE_SIZE,
      state: state || undefined,
    });
    // The province's cases and its overdue actions are every reader's of the province: kept per
    // data version (a flag's change or action moves it); what is overdue also moves with the
    // province's date, which is part of the key.
    const today = localDate(now, timezone ?? 'Asia/Jakarta');
    const [flags, overdueActions] = await Promise.all([
      this.answers.kept(`bureau-cases|${provinceCode}`, latestEvaluated, () => this.flags.list(user, { state: 'unresolved' })),
      this.answers.kept(`bureau-overdue|${provinceCode}|${today}`, latestEvaluated, () => this.flags.overdueActions(user)),
    ]);
    const nowIso = now.toISOString();
    return this.view.render(req, reply, 'bureau', {
      title: placeName(provinceName ?? provinceCode),
      provinceName,
      live,
      rowsHtml: this.rowsHtml(live, this.view.lang(req, reply)),
      flags,
      overdueAcknowledgements: flags.filter((f) => f.state === 'open' && f.respondBy !== null && f.respondBy < nowIso),
      overdueActions,
      prev: live.page > 1 ? live.page - 1 : null,
      next: live.page < live.pages ? live.page + 1 : null,
      base: opts.base,
      back: opts.back,
    });
  }

  /**
   * The page's MPP rows as HTML (a third of the page's rendering): once evaluated, `live` is the
   * object kept per data version (ReportAnswers.kept), so its rows are rendered once per version
   * and language; before that, `live` is read for each request and so are its rows.
   */
  private rowsHtml(live: ProvinceWeek, lang: Locale): string {
    let byLang = this.renderedRows.get(live);
    if (!byLang) this.renderedRows.set(live, (byLang = new Map()));
    let html = byLang.get(lang);
    if (html === undefined) byLang.set(lang, (html = this.engine.fragment('bureau-rows', lang, { live })));
    return html;
  }

  private readonly renderedRows = new WeakMap<ProvinceWeek, Map<Locale, string>>();

  async flag(
    req: PageRequest,
    reply: FastifyReply,
    id: string,
    opts: { saved?: boolean; actionSaved?: boolean; formError?: string; status?: number },
  ) {
    const user = req.user!;
    const lang = this.view.lang(req, reply);
    const flag = await this.flags.get(user, id);
    // The same scoped service as GET /api/v1/mpps/{id}/disputes: the evidence of the MPP's disputed weeks.
    const disputes = await this.disputes.list(user, flag.mppId, { provinceCode: flag.provinceCode });
    const byText = (by: string) => this.texts.byInWords(lang, by);
    const transitions = allowedTransitions(flag.state).map((to) => ({ to, label: TRANSITION_LABEL[to] }));
    return this.view.render(
      req,
      reply,
      'flag',
      {
        title: flag.mppName,
        flag: {
          ...flag,
          history: flag.history.map((e) => ({ ...e, by: byText(e.by) })),
          actions: flag.actions.map((a) => ({ ...a, by: byText(a.by) })),
        },
        transitions,
        disputes,
        canAct: flag.state !== 'resolved',
        actionKinds: ACTION_KINDS,
        today: localDate(this.clock.now(), flag.mpp.timezone as IndonesianTimezone),
        saved: opts.saved,
        actionSaved: opts.actionSaved,
        formError: opts.formError,
      },
      opts.status ?? 200,
    );
  }

  async transition(req: PageRequest, reply: FastifyReply, id: string, form: Record<string, unknown>) {
    try {
      const dto = await validForm(TransitionDto, { to: form.to, note: typeof form.note === 'string' ? form.note.trim() : form.note });
      await this.flags.transition(req.user!, id, dto);
      return reply.redirect(`/flags/${id}?saved=1`, 303);
    } catch (e) {
      if (!isFormProblem(e)) throw e;
      return this.flag(req, reply, id, { formError: formErrorKey(e), status: e.statusCode });
    }
  }

  /** The page's "record an action" form: the same DTO and service as `POST /api/v1/flags/{id}/actions`. */
  async addAction(req: PageRequest, reply: FastifyReply, id: string, form: Record<string, unknown>) {
    try {
      const dto = await validForm(ActionDto, {
        kind: formText(form.kind),
        note: formText(form.note),
        targetDate: formText(form.targetDate),
      });
      await this.flags.addAction(req.user!, id, dto);
      return reply.redirect(`/flags/${id}?saved=action`, 303);
    } catch (e) {
      if (!isFormProblem(e)) throw e;
      return this.flag(req, reply, id, { formError: formErrorKey(e), status: e.statusCode });
    }
  }

  async national(req: PageRequest, reply: FastifyReply) {
    const user = req.user!;
    const lang = this.view.lang(req, reply);
    const t = (key: string) => this.texts.t(lang, key);
    const week = await this.reports.latestWeek();
    if (!week) return this.view.render(req, reply, 'national', { title: t('national.title') });
    // The national figures and the longest-open cases are every ministry reader's: kept per data
    // version (a flag's change moves it), the HTML is the reader's own.
    const [report, trend, longestOpen] = await this.answers.kept(`national-page|${week}|${mppScopeOf(user).kind}`, week, () =>
      Promise.all([this.reports.weekly(user, week, {}), this.reports.trend(user, { weeks: 12 }), this.flags.longestOpen(10)]),
    );
    return this.view.render(req, reply, 'national', {
      title: t('national.title'),
      week,
      national: report.national,
      provinces: report.provinces,
      longestOpen,
      counts: RESULTS.map((result) => ({ result, n: report.national.counts[result] })),
      provinceChart: pairedBars(
        report.provinces.map((p) => ({ label: placeName(p.name), a: p.reportingRate, b: p.onTimeRate })),
        [t('table.reportingRate'), t('table.onTimeRate')],
        t('national.byProvince'),
      ),
      trendChart: weeklyBars(
        trend.map((p) => ({ label: weekShortText(p.week, lang), value: p.reportingRate })),
        t('national.trend'),
      ),
    });
  }

  async download(req: PageRequest, reply: FastifyReply, file: string) {
    const match = /^(\d{4}-W\d{2})\.(csv|xlsx)$/.exec(file);
    if (!match || !isValidIsoWeek(match[1])) throw AppError.notFound('File');
    const body = await this.exports.weekly(req.user!, match[1], { format: match[2] as 'csv' | 'xlsx' }, reply);
    return reply.send(body);
  }

  async admin(req: PageRequest, reply: FastifyReply, opts: { saved?: boolean; formError?: string; status?: number }) {
    const [accounts, mpps, provinces, current] = await Promise.all([
      this.users.list({}),
      this.mpps.list(req.user!, {}),
      this.regions.listProvinces(),
      this.settings.get(),
    ]);
    // A bureau user is named by the province's name ("Biro Organisasi Provinsi Nusa Tenggara Timur"), not its code.
    const provinceName = new Map(provinces.map((p) => [p.code, p.name]));
    const users = accounts.map((u) => ({ ...u, provinceName: u.provinceCode ? provinceName.get(u.provinceCode) : undefined }));
    const settings = Object.entries(current).map(([key, value]) => ({ key, value }));
    return this.view.render(
      req,
      reply,
      'admin',
      { users, mpps, provinces, settings, saved: opts.saved, formError: opts.formError },
      opts.status ?? 200,
    );
  }

  /** Admin forms go through the same DTOs and services as the API. */
  async adminAction(req: PageRequest, reply: FastifyReply, action: string, id: string | null, form: Record<string, unknown>) {
    try {
      if (action === 'users') {
        const mppIds = formText(form.mppIds)
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        await this.users.create(
          await validForm(CreateUserDto, {
            name: formText(form.name),
            email: formText(form.email),
            password: form.password,
            role: formText(form.role),
            provinceCode: formText(form.provinceCode),
            mppIds,
          }),
        );
      } else if (action === 'deactivate' && id) {
        await this.users.update(id, { active: false });
      } else if (action === 'mpps') {
        await this.mpps.create(
          await validForm(CreateMppDto, {
            name: formText(form.name),
            regencyCode: formText(form.regencyCode),
            inauguratedOn: formText(form.inauguratedOn),
            channels: ['direct'],
            tenants: [],
          }),
        );
      } else if (action === 'settings') {
        const numbers = Object.fromEntries(
          Object.entries(form)
            .filter(([k, v]) => k !== '_csrf' && formText(v) !== undefined)
            .map(([k, v]) => [k, Number(v)]),
        );
        await this.settings.update(req.user!, await validForm(UpdateEvaluationSettingsDto, numbers));
      } else {
        throw AppError.notFound('Page');
      }
      return reply.redirect('/admin?saved=1', 303);
    } catch (e) {
      if (!isFormProblem(e)) throw e;
      return this.admin(req, reply, { formError: formErrorKey(e), status: e.statusCode });
    }
  }
}
