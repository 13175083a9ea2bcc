import type { OperationDoc } from '../../common/http/api-doc';

/** The OpenAPI text of audit.controller.ts: who may call each operation, what it changes, examples from the domain. */
export const AUDIT_API = {
  list: {
    summary: 'Search the audit log',
    description:
      'Admin only. Every write and login: who (user, role, address), what (action, entity), when, before → after, newest first; filters `user`, `entity`, `entityId`, `action`, `from`, `to`, `limit`. Read only.',
    response: [
      {
        at: '2026-12-01T12:58:00.137Z',
        userId: 'a7ee7784-9457-4867-a30a-3f1b08036ec7',
        userEmail: 'biro.53@mpp.demo',
        role: 'bureau',
        action: 'flag.transition',
        entity: 'flag',
        entityId: '7da9791a-8099-4f9d-9df6-7ea1aeea28b2',
        before: {
          state: 'open',
        },
        after: {
          note: 'Sudah ditelepon, genset dipinjam dari BPBD',
          state: 'acknowledged',
        },
        ip: '127.0.0.1',
        requestId: 'd949e049-4944-47ad-bf87-f82abbda73bd',
      },
    ],
    errors: [400, 403],
  },
  verify: {
    summary: 'Verify the audit hash chain',
    description:
      'Admin. Recomputes every audit record’s hash (sha256 of the previous hash and the record) and its link to the one before; `firstBroken` names the first record changed or missing since it was written. Read only; `npm run audit:verify` does the same from the command line.',
    response: { records: 1284, firstBroken: null },
    errors: [403],
  },
} satisfies Record<string, OperationDoc>;
