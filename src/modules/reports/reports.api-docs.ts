import type { OperationDoc } from '../../common/http/api-doc';
import { FormationDto } from './reports.dto';

/** The OpenAPI text of reports.controller.ts: who may call each operation, what it changes, examples from the domain. */
export const REPORTS_API = {
  weekly: {
    summary: 'Weekly report',
    description:
      'Scoped (bureau: its province). National and per-province figures of an evaluated week; `?format=csv` or `?format=xlsx` downloads the same as a file. ' +
      'MPP rows (`mpps` under each province) come for one province, a manager, or `?detail=mpps`: all of them, or with `?limit=` (1–1000) and `?page=` a page at a time, ' +
      'worst first (inactive, not_reporting, at_risk, active, excused, not_expected; then by name), with `mppPage: {page, limit, total, pages}`; the figures stay whole. Read only.',
    response: {
      week: '2026-W48',
      evaluatedAt: '2026-11-30T05:10:00.000Z',
      national: {
        expected: 1,
        reported: 1,
        onTime: 1,
        reportingRate: 1,
        onTimeRate: 1,
        counts: {
          active: 0,
          at_risk: 0,
          inactive: 1,
          not_reporting: 0,
          excused: 0,
        },
        openFlags: 1,
        flagsOlderThan2Weeks: 0,
        disputed: 0,
        citizenReports: 0,
      },
      provinces: [
        {
          provinceCode: '53',
          name: 'NUSA TENGGARA TIMUR',
          expected: 1,
          reported: 1,
          onTime: 1,
          reportingRate: 1,
          onTimeRate: 1,
          counts: {
            active: 0,
            at_risk: 0,
            inactive: 1,
            not_reporting: 0,
            excused: 0,
          },
          openFlags: 1,
          flagsOlderThan2Weeks: 0,
          disputed: 0,
          citizenReports: 0,
        },
      ],
    },
    errors: [400],
  },
  trend: {
    summary: 'Reporting trend',
    description: 'Scoped. Figures of the last `weeks` weeks (12 by default), oldest first; `?province=` narrows. Read only.',
    response: [
      {
        week: '2026-W48',
        expected: 1,
        reported: 1,
        onTime: 1,
        reportingRate: 1,
        onTimeRate: 1,
        counts: {
          active: 0,
          at_risk: 0,
          inactive: 1,
          not_reporting: 0,
          excused: 0,
        },
        openFlags: 1,
        flagsOlderThan2Weeks: 0,
        disputed: 0,
        citizenReports: 0,
      },
    ],
    errors: [400],
  },
  coverage: {
    summary: 'MPP coverage of regencies',
    description:
      'Ministry, admin, and a bureau for its province. How many regencies/cities have an MPP, by stage (none, committed, preparing, operating, inactive). Read only.',
    response: {
      week: '2026-W48',
      national: {
        regencies: 22,
        withMpp: 1,
        none: 21,
        committed: 0,
        preparing: 0,
        operating: 0,
        inactive: 1,
      },
      provinces: [
        {
          provinceCode: '53',
          name: 'NUSA TENGGARA TIMUR',
          regencies: 22,
          withMpp: 1,
          none: 21,
          committed: 0,
          preparing: 0,
          operating: 0,
          inactive: 1,
        },
      ],
      regencies: [
        {
          code: '53.01',
          name: 'KABUPATEN KUPANG',
          provinceCode: '53',
          formationStage: 'none',
          stageDate: null,
          note: null,
          mppId: null,
          mppName: null,
          mpps: 0,
          stage: 'none',
        },
      ],
    },
    errors: [400, 403],
  },
  setFormation: {
    summary: "Set a regency's MPP formation stage",
    description:
      'The bureau of its province or an admin. Records progress towards an MPP (`none`, `committed`, `preparing`) with a date and a note. Audited.',
    body: {
      type: FormationDto,
      example: {
        stage: 'committed',
        date: '2026-11-01',
        note: 'Perbup pembentukan MPP ditandatangani',
      },
    },
    response: {
      code: '53.01',
      name: 'KABUPATEN KUPANG',
      provinceCode: '53',
      formationStage: 'committed',
      stageDate: '2026-11-01',
      note: 'Perbup ditandatangani',
      mppId: null,
      mppName: null,
      mpps: 0,
      stage: 'committed',
    },
    errors: [400, 403, 404],
  },
  history: {
    summary: "An MPP's weekly history",
    description: 'Scoped. Result, rules, check-in figures and flag events per week, newest first (`weeks`, 26 by default). Read only.',
    response: [
      {
        week: '2026-W48',
        result: 'inactive',
        rules: ['self_reported_not_operating', 'zero_days_open', 'zero_activity'],
        reported: true,
        onTime: true,
        late: false,
        status: 'not_operating',
        daysOpen: 0,
        tenantsServing: 2,
        visitors: 0,
        transactions: 0,
        flagState: 'acknowledged',
        flagEvents: [
          {
            at: '2026-11-30T05:10:00+00:00',
            by: 'Sistem MPP Monitor',
            to: 'open',
            from: null,
            note: 'Dibuka otomatis: evaluasi minggu 2026-W48 menyatakan MPP tidak aktif',
            flagId: '7da9791a-8099-4f9d-9df6-7ea1aeea28b2',
          },
          {
            at: '2026-11-30T05:10:00+00:00',
            by: 'Biro Organisasi Setda NTT (bureau)',
            to: 'acknowledged',
            from: 'open',
            note: 'Sudah ditelepon, genset dipinjam dari BPBD',
            flagId: '7da9791a-8099-4f9d-9df6-7ea1aeea28b2',
          },
        ],
      },
    ],
    errors: [400, 404],
  },
  agencies: {
    summary: 'Agencies across MPPs in a week',
    description:
      'Admin, ministry, bureau (its own province whatever `province` says). Per agency of the national list: active MPPs hosting it, and of those the ones whose check-in for `week` says they were open. `servedMpps`: of the hosting MPPs, those whose check-in for `week` named a tenant of the agency in `tenantsServingIds`; null when no check-in of that week in scope names its tenants (older clients send only the count). `unmatchedTenants` counts tenants whose name matches no agency. Read only.',
    response: {
      week: '2026-W48',
      provinceCode: '53',
      agencies: [{ code: 'POLRI', name: 'Kepolisian Negara Republik Indonesia', hostingMpps: 2, hostingMppsOpen: 1, servedMpps: 1 }],
      unmatchedTenants: 1,
    },
    errors: [400, 403],
  },
} satisfies Record<string, OperationDoc>;
