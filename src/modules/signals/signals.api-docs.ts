import type { OperationDoc } from '../../common/http/api-doc';
import { CreateSignalSourceDto } from './signals.dto';

const SOURCE = {
  id: '5d0f8a52-6c1e-4e0b-9a57-3f1f6d2a9b10',
  mppId: '1f4d9c7e-2b3a-4c5d-8e6f-7a8b9c0d1e2f',
  name: 'Mesin antrean lantai 1',
  createdAt: '2026-11-30T02:00:00.000Z',
  rotatedAt: null,
  revokedAt: null,
  lastPingAt: '2026-12-01T07:45:12.000Z',
};

/** The OpenAPI text of the signals controllers: who may call each operation, what it changes, examples from the domain. */
export const SIGNALS_API = {
  create: {
    summary: 'Create an activity source for an MPP',
    description:
      'Admin, or a manager of that MPP. Creates a source (a queue-ticket machine, a kiosk, MPP Digital) and answers its secret `pingUrl` once: only a hash of its token is kept. Audited.',
    status: 201,
    body: { type: CreateSignalSourceDto, example: { name: 'Mesin antrean lantai 1' } },
    response: { ...SOURCE, lastPingAt: null, pingUrl: 'https://mpp.example.go.id/ping/3q2-7wEAAAB1c2VybmFtZS1leGFtcGxlLXRva2Vu' },
    errors: [400, 403, 404],
  },
  list: {
    summary: 'List an MPP’s activity sources',
    description: 'Anyone who may see the MPP. Names, when each last pinged, rotation and revocation; never the URL. Read only.',
    response: [SOURCE],
    errors: [404],
  },
  rotate: {
    summary: 'Rotate a source’s ping URL',
    description: 'Admin, or a manager of that MPP. A new `pingUrl`; the old one answers 404 at once. Audited.',
    response: {
      ...SOURCE,
      rotatedAt: '2026-12-01T08:00:00.000Z',
      pingUrl: 'https://mpp.example.go.id/ping/bmV3LXRva2VuLWV4YW1wbGUtMDEyMzQ1Njc4',
    },
    errors: [403, 404],
  },
  revoke: {
    summary: 'Revoke a source',
    description: 'Admin, or a manager of that MPP. Its URL stops working for good; the days it reported stay as evidence. Audited.',
    status: 204,
    errors: [403, 404],
  },
  ping: {
    summary: 'Ping: activity from a machine',
    description:
      'Anyone holding the secret URL (a queue machine or MPP Digital), as a heartbeat monitor is pinged. `date` (YYYY-MM-DD, the MPP’s local day, default today, up to 7 days back), `tickets` and `transactions` (the day’s running totals; the highest is kept) are optional: a bare ping means “alive today”. 404 for an unknown or revoked URL.',
    status: 202,
    public: true,
    response: { mppId: SOURCE.mppId, date: '2026-12-01', pings: 14, tickets: 163, transactions: 171 },
    errors: [400, 404],
  },
} satisfies Record<string, OperationDoc>;
