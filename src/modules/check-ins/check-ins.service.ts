import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { IsoWeek, mondayOf } from '../../common/time/iso-week';
import { MppsService } from '../mpps/mpps.service';
import { expectedDaysInWeek, openingDaysInWeek } from './check-in.rules';
import { CheckInWriter, Submitted, view } from './check-in.writer';
import { CheckInsRepository } from './check-ins.repository';
import { CheckInDto, CheckInView } from './check-ins.dto';

export interface CheckInWeekFacts {
  openingDays: number;
  expectedDays: number;
  registeredTenants: number;
}

@Injectable()
export class CheckInsService {
  constructor(
    private readonly checkIns: CheckInsRepository,
    private readonly mpps: MppsService,
    private readonly writer: CheckInWriter,
  ) {}

  /**
   * Creates or revises the week's check-in (the same body again makes no revision), answered once
   * it is committed. A check-in for a week already evaluated re-evaluates that MPP in the same
   * transaction, so the verdict and the report it rests on are durable together.
   */
  async submit(user: Principal, mppId: string, week: IsoWeek, dto: CheckInDto): Promise<Submitted> {
    if (user.role !== 'manager') {
      await this.mpps.assertVisible(user, mppId);
      throw AppError.forbidden("Only the MPP's manager submits its check-in");
    }
    // The writer's batch statement checks the session (token version) and that the manager has
    // this MPP before it writes; a principal the guard loaded already knows its MPPs.
    if (!user.sessionUnchecked && !user.mppIds.includes(mppId)) throw AppError.notFound('MPP');
    return this.writer.submit({ userId: user.id, tokenVersion: user.tokenVersion, mppId, week, dto });
  }

  /** What the week's check-in is judged against, for the form: opening and expected days, registered tenants. */
  async weekFacts(user: Principal, mppId: string, week: IsoWeek): Promise<CheckInWeekFacts> {
    await this.mpps.assertVisible(user, mppId);
    const row = await this.checkIns.weekFacts(mppId, mondayOf(week));
    if (!row) throw AppError.notFound('MPP');
    return {
      openingDays: openingDaysInWeek(week, row.openingDays, row.inauguratedOn),
      expectedDays: expectedDaysInWeek(week, row.openingDays, row.inauguratedOn, new Set(row.offDates)),
      registeredTenants: row.registeredTenants,
    };
  }

  /**
   * Which of these MPPs have a check-in for which of these weeks (a manager's list page): the
   * caller passes MPPs the user may see (a manager's own).
   */
  submittedIn(mppIds: string[], weeks: IsoWeek[]): Promise<{ mppId: string; week: string; late: boolean }[]> {
    return this.checkIns.submittedIn(mppIds, weeks);
  }

  async get(user: Principal, mppId: string, week: IsoWeek): Promise<CheckInView> {
    await this.mpps.assertVisible(user, mppId);
    const row = await this.checkIns.current(mppId, week);
    if (!row) throw AppError.notFound(`Check-in for ${week}`);
    return view({ mppId, week }, row);
  }

  async revisions(user: Principal, mppId: string, week: IsoWeek): Promise<CheckInView[]> {
    await this.mpps.assertVisible(user, mppId);
    const rows = await this.checkIns.revisions(mppId, week);
    if (!rows.length) throw AppError.notFound(`Check-in for ${week}`);
    return rows.map((r) => view({ mppId, week }, r));
  }
}
