import type { OperationDoc } from '../../common/http/api-doc';
import { ClosureDecisionDto, CreateClosureDto, UpdateClosureDto } from './closures.dto';
import { RetireMppDto } from './mpps.dto';
import { CreateMppDto, UpdateMppDto } from './mpps.dto';

/** The OpenAPI text of mpps.controller.ts: who may call each operation, what it changes, examples from the domain. */
const CLOSURE = {
  id: '0b7f7c1e-3d1a-4c55-9a55-2f1d8f0c2a10',
  mppId: 'c7ecb17c-bcb2-449d-93c8-bc3c1efd2409',
  from: '2026-11-24',
  to: '2026-11-24',
  category: 'disaster',
  reason: 'Banjir setinggi 50 cm di lantai dasar gedung MPP',
  status: 'pending_approval',
  createdBy: '317e6dce-e8dc-48e0-a97e-909290922368',
  createdAt: '2026-11-25T02:00:00.000Z',
  decidedBy: null,
  decidedAt: null,
  decisionNote: null,
};

export const MPPS_API = {
  create: {
    summary: 'Register an MPP',
    description:
      'Admin only. Adds an MPP to the registry in its regency; its province and time zone follow from the regency code. Audited.',
    status: 201,
    body: {
      type: CreateMppDto,
      example: {
        regencyCode: '53.71',
        name: 'MPP Kota Kupang',
        address: 'Jl. Frans Seda, Kota Kupang',
        inauguratedOn: '2023-10-31',
        latitude: -10.1772,
        longitude: 123.607,
        channels: ['direct', 'electronic'],
        tenants: [
          {
            name: 'Polresta Kupang Kota',
            services: ['SKCK'],
          },
          {
            name: 'Disdukcapil Kota Kupang',
            services: ['KTP-el', 'Kartu Keluarga'],
          },
        ],
      },
    },
    response: {
      id: 'c7ecb17c-bcb2-449d-93c8-bc3c1efd2409',
      regencyCode: '53.71',
      regencyName: 'KOTA KUPANG',
      provinceCode: '53',
      provinceName: 'NUSA TENGGARA TIMUR',
      timezone: 'Asia/Makassar',
      name: 'MPP Kota Kupang',
      address: 'Jl. Frans Seda, Kota Kupang',
      inauguratedOn: '2023-10-31',
      channels: ['direct', 'electronic'],
      openingDays: [1, 2, 3, 4, 5],
      latitude: -10.1772,
      longitude: 123.607,
      active: true,
      createdAt: '2026-12-01T12:57:59.392Z',
      updatedAt: '2026-12-01T12:57:59.832Z',
      tenants: [
        {
          id: '8f1d2c3e-4b5a-4c6d-9e7f-0a1b2c3d4e5f',
          name: 'Polresta Kupang Kota',
          services: ['SKCK'],
        },
        {
          id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
          name: 'Disdukcapil Kota Kupang',
          services: ['KTP-el', 'Kartu Keluarga'],
        },
      ],
    },
    errors: [400, 403, 409],
  },
  list: {
    summary: 'List MPPs',
    description:
      'Scoped: a manager sees its MPPs, a bureau its province, ministry and admin all. Filters `?province=` and `?result=` (last evaluation). `?limit=` (1–1000) and `?page=` answer one page of the same array in the same order, the whole length in the `X-Total-Count` header. Read only.',
    response: [
      {
        id: 'c7ecb17c-bcb2-449d-93c8-bc3c1efd2409',
        regencyCode: '53.71',
        regencyName: 'KOTA KUPANG',
        provinceCode: '53',
        provinceName: 'NUSA TENGGARA TIMUR',
        timezone: 'Asia/Makassar',
        name: 'MPP Kota Kupang',
        address: 'Jl. Frans Seda, Kota Kupang',
        inauguratedOn: '2023-10-31',
        channels: ['direct', 'electronic'],
        openingDays: [1, 2, 3, 4, 5],
        latitude: -10.1772,
        longitude: 123.607,
        active: true,
        createdAt: '2026-12-01T12:57:59.392Z',
        updatedAt: '2026-12-01T12:57:59.832Z',
        tenants: [
          {
            id: '8f1d2c3e-4b5a-4c6d-9e7f-0a1b2c3d4e5f',
            name: 'Polres',
            services: ['SKCK'],
          },
          {
            id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
            name: 'Disdukcapil',
            services: ['KTP-el', 'Kartu Keluarga'],
          },
        ],
      },
    ],
    errors: [400],
  },
  get: {
    summary: 'Get an MPP',
    description: 'Scoped as the list; out of scope answers 404. Read only.',
    response: {
      id: 'c7ecb17c-bcb2-449d-93c8-bc3c1efd2409',
      regencyCode: '53.71',
      regencyName: 'KOTA KUPANG',
      provinceCode: '53',
      provinceName: 'NUSA TENGGARA TIMUR',
      timezone: 'Asia/Makassar',
      name: 'MPP Kota Kupang',
      address: 'Jl. Frans Seda, Kota Kupang',
      inauguratedOn: '2023-10-31',
      channels: ['direct', 'electronic'],
      openingDays: [1, 2, 3, 4, 5],
      latitude: -10.1772,
      longitude: 123.607,
      active: true,
      createdAt: '2026-12-01T12:57:59.392Z',
      updatedAt: '2026-12-01T12:57:59.832Z',
      tenants: [
        {
          id: '8f1d2c3e-4b5a-4c6d-9e7f-0a1b2c3d4e5f',
          name: 'Polres',
          services: ['SKCK'],
        },
        {
          id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
          name: 'Disdukcapil',
          services: ['KTP-el', 'Kartu Keluarga'],
        },
      ],
    },
    errors: [400, 404],
  },
  update: {
    summary: 'Update an MPP',
    description:
      'Admin only. Changes registry fields (address, coordinates, channels, tenants, opening days, active). `latitude`/`longitude` (WGS 84 degrees within Indonesia, −11.5…6.5 and 94.5…141.5) go together; `null` for both clears them. `tenants` replaces the list, but a tenant still listed (sent with its `id`, or with the same name, or the only one of its agency on both sides) keeps its id, so check-ins naming it keep pointing at it; an `id` that is not one of this MPP’s tenants, or an unknown `agencyCode`, is a 400. A tenant’s `agencyCode` (`GET /api/v1/agencies`, `null` for none) follows from its name when not sent. Audited.',
    body: {
      type: UpdateMppDto,
      example: {
        address: 'Jl. Frans Seda, Kota Kupang',
        latitude: -10.1772,
        longitude: 123.607,
      },
    },
    response: {
      id: 'c7ecb17c-bcb2-449d-93c8-bc3c1efd2409',
      regencyCode: '53.71',
      regencyName: 'KOTA KUPANG',
      provinceCode: '53',
      provinceName: 'NUSA TENGGARA TIMUR',
      timezone: 'Asia/Makassar',
      name: 'MPP Kota Kupang',
      address: 'Jl. Frans Seda, Kota Kupang',
      inauguratedOn: '2023-10-31',
      channels: ['direct', 'electronic'],
      openingDays: [1, 2, 3, 4, 5],
      latitude: -10.1772,
      longitude: 123.607,
      active: true,
      createdAt: '2026-12-01T12:57:59.392Z',
      updatedAt: '2026-12-01T12:57:59.832Z',
      tenants: [
        {
          id: '8f1d2c3e-4b5a-4c6d-9e7f-0a1b2c3d4e5f',
          name: 'Polres',
          services: ['SKCK'],
        },
        {
          id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
          name: 'Disdukcapil',
          services: ['KTP-el', 'Kartu Keluarga'],
        },
      ],
    },
    errors: [400, 403, 404],
  },
  retire: {
    summary: 'Retire an MPP that closed for good',
    description:
      'Admin. Out of monitoring after `on` (its last day in service, not after today): no check-ins for later weeks, no reminders, ' +
      'not evaluated from the week after; its history stays (re-running past weeks keeps its results); its open flag is resolved by ' +
      'the system with the reason as note; `closed` in coverage. Audited.',
    body: { type: RetireMppDto, example: { on: '2026-11-30', reason: 'Gedung MPP dibongkar; layanan dipindah ke kantor bupati' } },
    response: {
      id: 'c7ecb17c-bcb2-449d-93c8-bc3c1efd2409',
      active: false,
      retiredOn: '2026-11-30',
      retirementReason: 'Gedung MPP dibongkar; layanan dipindah ke kantor bupati',
      resolvedFlagId: null,
    },
    errors: [400, 403, 404, 409],
  },
  declareClosure: {
    summary: 'Declare a closure',
    description:
      "The MPP's manager, its province's bureau or an admin. Days the MPP is closed (dates local to the MPP), with a reason category " +
      '(`planned`, `disaster`, `renovation`, `relocation`, `outage`, `other`; the older `kind` is still accepted and mapped). ' +
      'A closure may start in the past while its week is open to corrections. A manager’s closure that starts before today or lasts ' +
      'more than 14 days is `pending_approval` and excuses nothing until the bureau approves it; the bureau’s and an admin’s are ' +
      '`approved` at once. An approved closure re-evaluates the MPP’s affected evaluated weeks. Audited.',
    status: 201,
    body: {
      type: CreateClosureDto,
      example: { from: '2026-11-24', to: '2026-11-24', category: 'disaster', reason: 'Banjir setinggi 50 cm di lantai dasar gedung MPP' },
    },
    response: CLOSURE,
    errors: [400, 403, 404],
  },
  updateClosure: {
    summary: 'Edit a closure',
    description:
      'As for declaring. Changes dates, category or reason; a manager’s change is judged again by the same rule (and may go back to ' +
      '`pending_approval`), the bureau’s or an admin’s stands approved. The affected evaluated weeks are re-evaluated. Audited.',
    body: { type: UpdateClosureDto, example: { to: '2026-11-25', reason: 'Banjir; gedung dibersihkan sehari lagi' } },
    response: CLOSURE,
    errors: [400, 403, 404, 409],
  },
  withdrawClosure: {
    summary: 'Withdraw a closure',
    description:
      'As for declaring. The closure stops excusing (it stays listed as `withdrawn`); the affected evaluated weeks are re-evaluated. Audited.',
    status: 204,
    errors: [403, 404, 409],
  },
  decideClosure: {
    summary: 'Approve or reject a closure',
    description:
      "The bureau of the MPP's province or an admin. `approve: true` makes the closure excuse its days, `false` rejects it; the MPP's " +
      'affected evaluated weeks are re-evaluated in the same transaction. Audited.',
    body: { type: ClosureDecisionDto, example: { approve: true, note: 'Banjir dikonfirmasi BPBD setempat' } },
    response: {
      ...CLOSURE,
      status: 'approved',
      decidedBy: '5a1c2e0f-8a47-4d1e-9a55-0e2b7c3d9f11',
      decidedAt: '2026-11-26T02:00:00.000Z',
      decisionNote: 'Banjir dikonfirmasi BPBD setempat',
    },
    errors: [400, 403, 404, 409],
  },
  listClosures: {
    summary: "List an MPP's closures",
    description: 'Scoped (manager of it, bureau of its province, ministry, admin). Every status, withdrawn ones included. Read only.',
    response: [CLOSURE],
    errors: [400, 404],
  },
} satisfies Record<string, OperationDoc>;
