import type { WeeklyFigures } from '../reports/reports.types';
import type { DigestFlag, DigestPayload, EscalationPayload, ReceiptPayload, ReminderPayload } from './notification.types';

/**
 * Sample payloads of every email kind, as the sender hands them to the templates: one fixture for the
 * templates' spec and the e2e register and page tests. Test-only; not part of the build.
 */
const reminder: ReminderPayload & Record<string, unknown> = {
  managerName: 'Maria Kewa',
  zone: 'WITA',
  timezone: 'Asia/Makassar',
  deadline: '2026-11-30T04:00:00.000Z',
  mpps: [{ id: 'a1', name: 'MPP Kabupaten Manggarai Timur' }],
};
export const reminderContext = {
  ...reminder,
  week: '2026-W48',
  single: true,
  mpps: [{ id: 'a1', name: 'MPP Kabupaten Manggarai Timur', link: 'https://mpp.example.go.id/check-in/a1/2026-W48' }],
};

const receipt: ReceiptPayload = {
  mppId: 'a1',
  mppName: 'MPP Kabupaten Manggarai Timur',
  managerName: 'Maria Kewa',
  timezone: 'Asia/Makassar',
  revision: 1,
  daysOpen: 5,
  visitors: 1240,
  transactions: 980,
  tenantsServing: 7,
  registeredTenants: 8,
  status: 'normal',
  late: false,
  deadline: '2026-11-30T04:00:00.000Z',
  submittedAt: '2026-11-27T02:30:00.000Z',
};
export const receiptContext = {
  ...receipt,
  week: '2026-W48',
  updated: false,
  link: 'https://mpp.example.go.id/check-in/a1/2026-W48',
};

const escalation: EscalationPayload = {
  provinceCode: '53',
  provinceName: 'NUSA TENGGARA TIMUR',
  counts: { total: 2, new: 1, reEscalated: 1, open: 0, inProgress: 0 },
  flags: [
    {
      id: 'f1',
      mppId: 'm1',
      mppName: 'MPP <Kota> Kupang',
      regencyName: 'KOTA KUPANG',
      state: 'open',
      openedWeek: '2026-W48',
      sinceWeek: '2026-W48',
      rules: ['not_reporting_consecutive'],
      category: 'new',
      escalations: 1,
    },
    {
      id: 'f2',
      mppId: 'm2',
      mppName: 'MPP Manggarai Timur',
      regencyName: 'KABUPATEN MANGGARAI TIMUR',
      state: 'open',
      openedWeek: '2026-W47',
      sinceWeek: '2026-W47',
      rules: ['self_reported_not_operating', 'zero_activity'],
      category: 're_escalated',
      escalations: 2,
    },
  ],
};
export const escalationContext = {
  ...escalation,
  week: '2026-W48',
  flags: escalation.flags.map((f) => ({ ...f, link: `https://mpp.example.go.id/flags/${f.id}` })),
};

const counts = { active: 6, at_risk: 1, inactive: 2, not_reporting: 1, excused: 0, not_expected: 1 };

/** A week's figures: 10 MPPs expected, 9 reported, 8 on time, unless `patch` says otherwise. */
function figures(patch: Partial<WeeklyFigures> = {}): WeeklyFigures {
  return {
    expected: 10,
    reported: 9,
    onTime: 8,
    reportingRate: 0.9,
    onTimeRate: 0.8,
    counts,
    openFlags: 2,
    flagsOlderThan2Weeks: 1,
    disputed: 2,
    citizenReports: 7,
    ...patch,
  };
}

/** Flagged for the first time this week. */
const kupangFlag: DigestFlag = {
  flagId: 'f1',
  mppName: 'MPP Kota Kupang',
  provinceName: 'NUSA TENGGARA TIMUR',
  rules: ['zero_activity'],
  state: 'open',
  openedWeek: '2026-W48',
  sinceWeek: '2026-W48',
  weeksOpen: 1,
  escalations: 1,
};
/** Open three weeks and escalated again: both re-escalated and the longest open. */
export const bulelengFlag: DigestFlag = {
  flagId: 'f2',
  mppName: 'MPP Buleleng',
  provinceName: 'BALI',
  rules: ['zero_days_open'],
  state: 'open',
  openedWeek: '2026-W46',
  sinceWeek: '2026-W46',
  weeksOpen: 3,
  escalations: 3,
};

export const digest: DigestPayload = {
  national: figures(),
  previous: figures({
    reported: 8,
    reportingRate: 0.8,
    counts: { ...counts, active: 7, inactive: 1 },
    flagsOlderThan2Weeks: 0,
    disputed: 1,
    citizenReports: 3,
  }),
  inactiveTrend: [
    { week: '2026-W46', inactive: 0 },
    { week: '2026-W47', inactive: 1 },
    { week: '2026-W48', inactive: 2 },
  ],
  provinces: [
    {
      ...figures({
        expected: 2,
        reported: 1,
        onTime: 1,
        reportingRate: 0.5,
        onTimeRate: 0.5,
        counts: { ...counts, active: 0, at_risk: 0, inactive: 1 },
        openFlags: 1,
        flagsOlderThan2Weeks: 0,
        disputed: 1,
        citizenReports: 4,
      }),
      provinceCode: '53',
      name: 'NUSA TENGGARA TIMUR',
    },
  ],
  newlyFlagged: { total: 51, items: [kupangFlag] },
  reEscalated: { total: 1, items: [bulelengFlag] },
  longestOpen: [bulelengFlag],
  provincesWithoutBureau: ['DKI JAKARTA'],
  coverage: { regencies: 508, regenciesWithMpp: 10, mppsRegistered: 10, rate: 10 / 508 },
};
/** As the sender hands it to the templates: the week, and each trend bar's width (px, the busiest week 200). */
export const digestContext = {
  ...digest,
  week: '2026-W48',
  inactiveTrend: [
    { week: '2026-W46', inactive: 0, bar: 0 },
    { week: '2026-W47', inactive: 1, bar: 100 },
    { week: '2026-W48', inactive: 2, bar: 200 },
  ],
};
