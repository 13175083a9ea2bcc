import { setActingUser } from '../../common/http/request-context';
import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors';
import { CheckInLinks } from '../auth/check-in-links';
import { CheckInsService } from '../check-ins/check-ins.service';
import { addWeeks, deadlineSearchRange, IsoWeek, mondayOf, weekAt, weekTimes } from '../../common/time/iso-week';
import { HolidaysService } from '../calendar/holidays.service';
import { CLOSURE_CATEGORIES } from '../mpps/closure.rules';
import { CreateClosureDto } from '../mpps/closures.dto';
import { ClosuresService } from '../mpps/closures.service';
import { MppsService } from '../mpps/mpps.service';
import { formatLocalDateTime } from '../../common/time/local-time';
import { IndonesianTimezone } from '../../common/time/timezones';
import { UsersService } from '../users/users.service';
import { FlagsService } from '../flags/flags.service';
import { ReportsService } from '../reports/reports.service';
import { PageTexts } from './page-i18n';
import { FieldErrors, formModel, FormValues, formToBody, incoherentFields, messageFor, validateBody } from './check-in-form';
import { PageRequest } from './page-session';
import { PageView } from './page-view';
import { formErrorKey, isFormProblem, validForm } from './validate-form';

const CONFLICT_TEXT: Record<string, string> = { week_locked: 'error.locked', check_in_not_open: 'error.notOpen' };

@Injectable()
export class CheckInPages {
  constructor(
    private readonly view: PageView,
    private readonly holidays: HolidaysService,
    private readonly checkIns: CheckInsService,
    private readonly mpps: MppsService,
    private readonly closures: ClosuresService,
    private readonly links: CheckInLinks,
    private readonly users: UsersService,
    private readonly clock: Clock,
    private readonly reports: ReportsService,
    private readonly flags: FlagsService,
    private readonly texts: PageTexts,
  ) {}

  /** The manager's MPPs with last week's and this week's status, in each MPP's own time zone. */
  async list(req: PageRequest, reply: FastifyReply) {
    const user = req.user!;
    const lang = this.view.lang(req, reply);
    const rows = await this.mpps.activeWithTimezones(user.mppIds);
    const now = this.clock.now();
    const weeksOf = (tz: IndonesianTimezone) => [addWeeks(weekAt(now, tz), -1), weekAt(now, tz)];
    const submitted = await this.checkIns.submittedIn(user.mppIds, [...new Set(rows.flatMap((r) => weeksOf(r.timezone)))]);
    const holidays = await this.holidays.datesBetween(
      deadlineSearchRange(addWeeks(weekAt(now, 'Asia/Jayapura'), -1)).from,
      deadlineSearchRange(weekAt(now, 'Asia/Jayapura')).to,
    );
    const mpps = rows.map((m) => ({
      ...m,
      weeks: weeksOf(m.timezone).map((week) => {
        const found = submitted.find((s) => s.mppId === m.id && s.week === week);
        const times = weekTimes(week, m.timezone, holidays);
        return {
          week,
          submitted: !!found,
          late: found?.late ?? false,
          deadline: formatLocalDateTime(times.deadline, m.timezone, lang),
          // Before Friday 00:00 local the form would only refuse it: say when it opens instead of offering it.
          opensAt: now < times.windowOpensAt ? formatLocalDateTime(times.windowOpensAt, m.timezone, lang) : null,
        };
      }),
    }));
    const followUp = await this.followUp(
      user,
      lang,
      rows.map((m) => m.id),
    );
    return this.view.render(req, reply, 'check-in-list', { mpps: mpps.map((m) => ({ ...m, ...followUp.get(m.id) })) });
  }

  /**
   * What the manager should know of each MPP beyond the form: its last verdict, any open case on it
   * and the bureau's notes on that case (from the same services as the API's history and flag).
   */
  private async followUp(user: Principal, lang: 'id' | 'en', mppIds: string[]) {
    // Set-based: a fixed number of queries for all the manager's MPPs, not a round of them per MPP.
    const open = (await this.flags.list(user, { state: 'unresolved' })).filter((f) => mppIds.includes(f.mppId));
    const [verdicts, details] = await Promise.all([
      this.reports.lastVerdicts(user, mppIds),
      this.flags.getMany(
        user,
        open.map((f) => f.id),
      ),
    ]);
    const role = (by: string) => this.texts.byInWords(lang, by);
    const result = new Map<string, { lastVerdict: unknown; openCase: unknown }>();
    for (const mppId of mppIds) {
      const detail = details.find((f) => f.mppId === mppId);
      const openCase = detail && {
        state: detail.state,
        openedWeek: detail.openedWeek,
        timezone: detail.mpp.timezone,
        notes: [
          // A bureau's action also moves the case, with the action's note: say it once.
          ...detail.history
            .filter((e) => e.byUserId && !detail.actions.some((a) => a.at === e.at && a.note === e.note))
            .map((e) => ({ at: e.at, by: role(e.by), note: e.note, kind: null, targetDate: null })),
          ...detail.actions.map((a) => ({ at: a.at, by: role(a.by), note: a.note, kind: a.kind, targetDate: a.targetDate })),
        ].sort((a, b) => a.at.localeCompare(b.at)),
      };
      result.set(mppId, { lastVerdict: verdicts.get(mppId) ?? null, openCase: openCase ?? null });
    }
    return result;
  }

  async form(
    req: PageRequest,
    reply: FastifyReply,
    user: Principal,
    mppId: string,
    week: IsoWeek,
    opts: { saved?: string; action: string; viaLink?: boolean },
    state: { values?: FormValues; errors?: FieldErrors; formError?: string; closureError?: string; status?: number } = {},
  ) {
    const mpp = await this.mpps.get(user, mppId);
    const facts = await this.checkIns.weekFacts(user, mppId, week);
    const tz = mpp.timezone as IndonesianTimezone;
    const range = deadlineSearchRange(week);
    const deadline = weekTimes(week, tz, await this.holidays.datesBetween(range.from, range.to)).deadline;
    let values = state.values ?? null;
    let prefilled = false;
    if (!values) {
      values = await this.checkInValues(user, mppId, week);
      if (!values) {
        values = await this.checkInValues(user, mppId, addWeeks(week, -1));
        prefilled = !!values;
      }
    }
    const lang = this.view.lang(req, reply);
    const receipt = opts.saved === '1' || opts.saved === 'late' ? await this.receipt(user, mppId, week, tz, deadline, lang) : null;
    return this.view.render(
      req,
      reply,
      'check-in-form',
      {
        title: mpp.name,
        mpp,
        week,
        action: opts.action,
        viaLink: opts.viaLink,
        closureAction: opts.viaLink ? null : `/check-in/${mppId}/${week}/closures`,
        closureSaved: opts.saved === 'closure',
        closurePending: opts.saved === 'closure-pending',
        closureCategories: CLOSURE_CATEGORIES,
        closures: opts.viaLink ? [] : await this.currentClosures(user, mppId, week),
        saved: opts.saved === '1' || opts.saved === 'late',
        savedLate: opts.saved === 'late',
        receipt,
        deadline: formatLocalDateTime(deadline, tz, lang),
        late: this.clock.now() > deadline,
        prefilled,
        facts,
        formError: state.formError,
        closureError: state.closureError,
        ...formModel(values, state.errors ?? {}, mpp.tenants),
      },
      state.status ?? 200,
    );
  }

  /** Validates like the API, submits through the same service, and answers with the form again on a problem. */
  async submit(
    req: PageRequest,
    reply: FastifyReply,
    user: Principal,
    mppId: string,
    week: IsoWeek,
    form: Record<string, unknown>,
    action: string,
    link?: { onRefused: () => Promise<void> },
  ) {
    const viaLink = !!link;
    // A refused form is shown again; whatever the refusal undoes (a one-click link given back) is
    // done before the page is sent, so the reader's next request sees it undone.
    const refuse = async (state: { values: FormValues; errors: FieldErrors; formError: string; status: number }) => {
      await link?.onRefused();
      return this.form(req, reply, user, mppId, week, { action, viaLink }, state);
    };
    const values = formToBody(form);
    const { dto, errors } = await validateBody(values);
    if (!dto) return refuse({ values, errors, formError: 'checkIn.fixErrors', status: 400 });
    // The same coherence rule the API applies, so each contradiction is named by field in the page's language.
    const incoherent = incoherentFields(dto, await this.checkIns.weekFacts(user, mppId, week));
    if (Object.keys(incoherent).length) return refuse({ values, errors: incoherent, formError: 'checkIn.fixErrors', status: 400 });
    try {
      const { checkIn } = await this.checkIns.submit(user, mppId, week, dto);
      return reply.redirect(`${action}?saved=${checkIn.late ? 'late' : '1'}`, 303);
    } catch (e) {
      if (!isFormProblem(e)) throw e;
      const fieldErrors: FieldErrors = {};
      for (const d of e.details) if (d.field) fieldErrors[d.field] = messageFor(d.field, ['max'], values[d.field]);
      const formError = CONFLICT_TEXT[e.code] ?? (Object.keys(fieldErrors).length ? 'checkIn.fixErrors' : 'error.invalid');
      return refuse({ values, errors: fieldErrors, formError, status: e.statusCode });
    }
  }

  async closure(req: PageRequest, reply: FastifyReply, mppId: string, week: IsoWeek, form: Record<string, unknown>) {
    const dto = await validForm(CreateClosureDto, { from: form.from, to: form.to, reason: form.reason, category: form.category }).catch(
      (e) => e as AppError,
    );
    try {
      if (dto instanceof AppError) throw dto;
      const saved = await this.closures.declare(req.user!, mppId, dto);
      return reply.redirect(`/check-in/${mppId}/${week}?saved=${saved.status === 'pending_approval' ? 'closure-pending' : 'closure'}`, 303);
    } catch (e) {
      if (!isFormProblem(e)) throw e;
      return this.form(
        req,
        reply,
        req.user!,
        mppId,
        week,
        { action: `/check-in/${mppId}/${week}` },
        { closureError: formErrorKey(e), status: e.statusCode },
      );
    }
  }

  /** Closures that touch this week or later, so the manager sees what is pending or in effect. */
  private async currentClosures(user: Principal, mppId: string, week: IsoWeek) {
    const monday = mondayOf(week);
    return (await this.closures.list(user, mppId)).filter((c) => c.to >= monday && c.status !== 'withdrawn');
  }

  /** A reminder's one-click link: the manager it was sent to, that MPP, that week; nothing else. */
  async linkForm(req: PageRequest, reply: FastifyReply, token: string, saved?: string) {
    const link = await this.resolveLink(token);
    if (!link) return this.view.render(req, reply, 'message', { heading: '410', message: 'error.linkInvalid', back: '/login' }, 410);
    if (await this.links.isSpent(link.jti)) {
      // The submission through this link went through: say so once more, but show no form.
      if (saved === '1' || saved === 'late')
        return this.view.render(req, reply, 'message', { ok: true, message: saved === 'late' ? 'checkIn.savedLate' : 'checkIn.saved' });
      return this.view.render(req, reply, 'message', { heading: '410', message: 'error.linkSpent', back: '/login' }, 410);
    }
    return this.form(req, reply, link.user, link.mppId, link.week, { saved, action: `/c/${token}`, viaLink: true });
  }

  async linkSubmit(req: PageRequest, reply: FastifyReply, token: string, form: Record<string, unknown>) {
    const link = await this.resolveLink(token);
    if (!link) return this.view.render(req, reply, 'message', { heading: '410', message: 'error.linkInvalid', back: '/login' }, 410);
    // Spent before the submission (two tabs cannot both use it), given back if the form is refused.
    if (!(await this.links.spend(link.jti)))
      return this.view.render(req, reply, 'message', { heading: '410', message: 'error.linkSpent', back: '/login' }, 410);
    const onRefused = () => this.links.unspend(link.jti);
    return this.submit(req, reply, link.user, link.mppId, link.week, form, `/c/${token}`, { onRefused }).catch(async (e: unknown) => {
      await onRefused();
      throw e;
    });
  }

  private async resolveLink(token: string): Promise<{ user: Principal; mppId: string; week: IsoWeek; jti: string } | null> {
    const link = this.links.verify(token, this.clock.now());
    if (!link) return null;
    const user = await this.users.findActivePrincipal(link.userId);
    // Still this MPP's manager (a reassigned or deactivated manager's links stop working).
    if (!user || user.role !== 'manager' || !user.mppIds.includes(link.mppId)) return null;
    setActingUser(user);
    return { user, mppId: link.mppId, week: link.week, jti: link.jti };
  }

  /** The receipt the manager is also emailed: what the latest revision recorded and whether it was on time. */
  private async receipt(user: Principal, mppId: string, week: IsoWeek, tz: IndonesianTimezone, deadline: Date, lang: 'id' | 'en') {
    const checkIn = await this.checkIns.get(user, mppId, week).catch((e: unknown) => {
      if (e instanceof AppError && e.statusCode === 404) return null;
      throw e;
    });
    if (!checkIn) return null;
    return {
      ...checkIn,
      updated: checkIn.revision > 1,
      corrections: checkIn.revision - 1,
      submittedAt: formatLocalDateTime(new Date(checkIn.submittedAt), tz, lang),
      deadline: formatLocalDateTime(deadline, tz, lang),
    };
  }

  private async checkInValues(user: Principal, mppId: string, week: IsoWeek): Promise<FormValues | null> {
    try {
      return (await this.checkIns.get(user, mppId, week)) as unknown as FormValues;
    } catch (e) {
      if (e instanceof AppError && e.statusCode === 404) return null;
      throw e;
    }
  }
}
