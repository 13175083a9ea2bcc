import type { OperationDoc } from '../../common/http/api-doc';
import { CreateHolidayDto } from './holidays.dto';

/** The OpenAPI text of holidays.controller.ts: who may call each operation, what it changes, examples from the domain. */
export const HOLIDAYS_API = {
  list: {
    summary: 'List holidays and cuti bersama',
    description:
      'Any signed-in user. National holidays and collective leave days of a year (`?year=2026`); they are not expected opening days. Read only.',
    response: [
      {
        date: '2026-01-01',
        kind: 'national',
        name: 'Tahun Baru 2026 Masehi',
      },
      {
        date: '2026-01-16',
        kind: 'national',
        name: 'Isra Mikraj Nabi Muhammad SAW',
      },
      {
        date: '2026-02-16',
        kind: 'cuti_bersama',
        name: 'Cuti bersama Tahun Baru Imlek',
      },
    ],
    errors: [400],
  },
  add: {
    summary: 'Add a holiday',
    description:
      "Admin only. Adds a national holiday or cuti bersama day (e.g. next year's, once decreed); later evaluations expect no opening that day. Audited.",
    status: 201,
    body: {
      type: CreateHolidayDto,
      example: {
        date: '2027-01-01',
        name: 'Tahun Baru 2027 Masehi',
        kind: 'national',
      },
    },
    response: {
      date: '2027-01-01',
      kind: 'national',
      name: 'Tahun Baru 2027 Masehi',
    },
    errors: [400, 403, 409],
  },
  remove: {
    summary: 'Remove a holiday',
    description: 'Admin only. Removes the day from the calendar. Audited.',
    status: 204,
    responseDescription: 'Removed',
    errors: [400, 403, 404],
  },
} satisfies Record<string, OperationDoc>;
