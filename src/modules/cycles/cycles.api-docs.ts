import type { OperationDoc } from '../../common/http/api-doc';
import { UpdateEvaluationSettingsDto } from './cycles.dto';

/** The OpenAPI text of cycles.controller.ts: who may call each operation, what it changes, examples from the domain. */
export const CYCLES_API = {
  list: {
    summary: 'List weekly cycles',
    description:
      'Any signed-in user. Each ISO week with its state (`open`, `closed`, `evaluated`), deadline and result counts (scoped to the caller). Read only.',
    response: [
      {
        week: '2026-W48',
        state: 'evaluated',
        startsAt: '2026-11-22T15:00:00.000Z',
        deadlineWib: '2026-11-30T05:00:00.000Z',
        evaluatedAt: '2026-11-30T05:10:00.000Z',
        evaluationRuns: 1,
        locksAt: '2026-12-07T05:10:00.000Z',
        locked: false,
        counts: {
          active: 0,
          at_risk: 0,
          inactive: 1,
          not_reporting: 0,
          excused: 0,
        },
      },
    ],
  },
  get: {
    summary: 'Get a weekly cycle',
    description: 'Any signed-in user. State, start, deadline (WIB) and result counts of one ISO week. Read only.',
    response: {
      week: '2026-W48',
      state: 'evaluated',
      startsAt: '2026-11-22T15:00:00.000Z',
      deadlineWib: '2026-11-30T05:00:00.000Z',
      evaluatedAt: '2026-11-30T05:10:00.000Z',
      evaluationRuns: 1,
      locksAt: '2026-12-07T05:10:00.000Z',
      locked: false,
      counts: {
        active: 0,
        at_risk: 0,
        inactive: 1,
        not_reporting: 0,
        excused: 0,
      },
    },
    errors: [400],
  },
  evaluate: {
    summary: 'Evaluate a week now',
    description:
      'Admin only. Runs the weekly evaluation of every MPP for that week now instead of waiting for the scheduler; idempotent (the same data gives the same results and nothing is emailed twice). Opens or carries flags and queues the bureau escalations and ministry digest. Audited.',
    response: {
      week: '2026-W48',
      state: 'evaluated',
      startsAt: '2026-11-22T15:00:00.000Z',
      deadlineWib: '2026-11-30T05:00:00.000Z',
      evaluatedAt: '2026-11-30T05:10:00.000Z',
      evaluationRuns: 1,
      locksAt: '2026-12-07T05:10:00.000Z',
      locked: false,
      counts: {
        active: 0,
        at_risk: 0,
        inactive: 1,
        not_reporting: 0,
        excused: 0,
      },
    },
    errors: [400, 403, 409],
  },
  unlock: {
    summary: 'Unlock a week for corrections',
    description:
      'Admin only. Re-opens the correction window of an evaluated week whose `correctionDays` have passed, so late check-ins re-evaluate it again. Audited.',
    response: {
      week: '2026-W48',
      state: 'evaluated',
      startsAt: '2026-11-22T15:00:00.000Z',
      deadlineWib: '2026-11-30T05:00:00.000Z',
      evaluatedAt: '2026-11-30T05:10:00.000Z',
      evaluationRuns: 1,
      locksAt: '2026-12-07T05:10:00.000Z',
      locked: false,
      counts: {
        active: 0,
        at_risk: 0,
        inactive: 1,
        not_reporting: 0,
        excused: 0,
      },
    },
    errors: [400, 403, 404],
  },
  evaluations: {
    summary: "List a week's evaluation results",
    description:
      'Scoped (manager: its MPPs, bureau: its province). One row per MPP with its result and rule codes; filters `?province=` and `?result=`. Read only.',
    response: [
      {
        mppId: 'c7ecb17c-bcb2-449d-93c8-bc3c1efd2409',
        mppName: 'MPP Kota Kupang',
        provinceCode: '53',
        result: 'inactive',
        rules: ['self_reported_not_operating', 'zero_days_open', 'zero_activity'],
        expectedDays: 5,
        reported: true,
        onTime: true,
        notReportingStreak: 0,
        daysOpen: 0,
        visitors: 0,
        transactions: 0,
        evaluatedAt: '2026-11-30T05:10:00.000Z',
      },
    ],
    errors: [400],
  },
  getSettings: {
    summary: 'Get the evaluation thresholds',
    description: 'Admin and ministry. The thresholds the evaluation rules use. Read only.',
    response: {
      notReportingWeeksForInactive: 2,
      minTenantsServingRatio: 0.5,
      maxTransactionsDrop: 0.5,
      medianWeeks: 4,
      medianMinWeeks: 2,
      correctionDays: 7,
      reminderHoursBeforeDeadline: 4,
      reEscalateAfterDays: 7,
      respondByWeekday: 5,
    },
    errors: [403],
  },
  updateSettings: {
    summary: 'Change the evaluation thresholds',
    description:
      'Admin only. Changes one or more thresholds; later evaluations use them. Every change is kept in the settings history and audited.',
    body: {
      type: UpdateEvaluationSettingsDto,
      example: {
        notReportingWeeksForInactive: 3,
      },
    },
    response: {
      notReportingWeeksForInactive: 3,
      minTenantsServingRatio: 0.5,
      maxTransactionsDrop: 0.5,
      medianWeeks: 4,
      medianMinWeeks: 2,
      correctionDays: 7,
      reminderHoursBeforeDeadline: 4,
      reEscalateAfterDays: 7,
      respondByWeekday: 5,
    },
    errors: [400, 403],
  },
  settingsHistory: {
    summary: 'History of threshold changes',
    description: 'Admin only. Every change of the thresholds (before → after), who and when, newest first (last 100). Read only.',
    response: [
      {
        id: '1',
        before: {
          notReportingWeeksForInactive: 2,
        },
        after: {
          notReportingWeeksForInactive: 3,
        },
        at: '2026-12-01T02:00:00.000Z',
        byEmail: 'admin@contoh.go.id',
      },
    ],
    errors: [403],
  },
} satisfies Record<string, OperationDoc>;
