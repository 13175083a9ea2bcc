import type { OperationDoc } from '../../common/http/api-doc';
import { CreateCitizenReportDto } from './citizen-reports.dto';

/** The OpenAPI text of citizens' reports: anyone, no login, guarded by proof of work and rate limits. */
export const CITIZEN_REPORTS_API = {
  challenge: {
    summary: 'A proof-of-work challenge for a citizen’s report',
    description:
      'Anyone, no login. An ALTCHA challenge (SHA-256, signed by the server, valid 20 minutes): find `number` ≤ `maxnumber` with SHA-256(salt + number) = challenge, and send back base64(JSON {algorithm, challenge, number, salt, signature}) as `altcha`. Changes nothing.',
    public: true,
    response: {
      algorithm: 'SHA-256',
      challenge: 'af58ce77a0984102b467cf3347277b863e2b58719b3a18559f2298ad17c68a14',
      maxnumber: 100000,
      salt: '38528e7de28e5c6c3b25197b?expires=1796135029&',
      signature: '33e0683b8aae41d06a9f0dfea4aa431462b390aac81ef2cf10ba97aea4545429',
    },
  },
  report: {
    summary: 'A citizen reports a closed MPP or a missing service',
    description:
      'Anyone, no login. `kind` closed, service_unavailable or other; `visitedOn` this week or last (the MPP’s local day); `agency` for a missing service; `note` up to 500 characters, shown to officials only. Needs a solved challenge, each usable once. Rate-limited per client and per MPP (429, nothing stored); the same client, MPP, day and kind counts once.',
    status: 202,
    public: true,
    body: {
      type: CreateCitizenReportDto,
      example: { kind: 'closed', visitedOn: '2026-12-01', note: 'Pintu terkunci jam 10 pagi', altcha: 'eyJhbGdvcml0aG0iOiJTSEEtMjU2Ii…' },
    },
    response: { accepted: true },
    errors: [400, 404, 429],
  },
  disputes: {
    summary: 'Disputed weeks of an MPP, with the evidence',
    description:
      'Admin, ministry, or the bureau of its province. The last 8 weeks whose check-in independent signals contradicted: result and rule codes, days claimed open, each citizen report (kind, day, agency, note: officials only, escape when showing), the days its sources saw activity, and `evidence`: citizen reports counted by kind, the distinct visit days, the notes, and days claimed open against days with pings. Read only.',
    response: [
      {
        week: '2026-W48',
        result: 'at_risk',
        rules: ['contradicted_by_citizen_reports'],
        confirmedAt: null,
        daysOpenClaimed: 5,
        citizenReports: [{ kind: 'closed', visitedOn: '2026-11-25', agency: null, note: 'Pintu terkunci', at: '2026-11-25T02:10:00.000Z' }],
        signalDays: [{ date: '2026-11-24', pings: 12 }],
        evidence: {
          citizenCounts: { closed: 3, service_unavailable: 0, other: 0 },
          visitDates: ['2026-11-25'],
          notes: [{ kind: 'closed', visitedOn: '2026-11-25', agency: null, note: 'Pintu terkunci' }],
          signals: { hasSource: true, daysClaimedOpen: 5, daysWithPings: 1, datesWithPings: ['2026-11-24'] },
        },
      },
    ],
    errors: [403, 404],
  },
  confirm: {
    summary: 'Confirm a disputed week',
    description:
      'Admin, or the bureau of its province. The public page then shows the week as `limited`; a re-evaluation that no longer disputes the week drops the confirmation. 404 when the week is not disputed. Audited.',
    response: { week: '2026-W48', confirmedAt: '2026-12-01T03:00:00.000Z' },
    errors: [403, 404],
  },
} satisfies Record<string, OperationDoc>;
