import type { OperationDoc } from '../../common/http/api-doc';
import { CreateClosureDto } from './closures.dto';
import { CreateMppDto, UpdateMppDto } from './mpps.dto';

/** The OpenAPI text of mpps.controller.ts: who may call each operation, what it changes, examples from the domain. */
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
      active: true,
      createdAt: '2026-12-01T12:57:59.392Z',
      updatedAt: '2026-12-01T12:57:59.832Z',
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
    errors: [400, 403, 409],
  },
  list: {
    summary: 'List MPPs',
    description:
      'Scoped: a manager sees its MPPs, a bureau its province, ministry and admin all. Filters `?province=` and `?result=` (last evaluation). Read only.',
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
        active: true,
        createdAt: '2026-12-01T12:57:59.392Z',
        updatedAt: '2026-12-01T12:57:59.832Z',
        tenants: [
          {
            name: 'Polres',
            services: ['SKCK'],
          },
          {
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
      active: true,
      createdAt: '2026-12-01T12:57:59.392Z',
      updatedAt: '2026-12-01T12:57:59.832Z',
      tenants: [
        {
          name: 'Polres',
          services: ['SKCK'],
        },
        {
          name: 'Disdukcapil',
          services: ['KTP-el', 'Kartu Keluarga'],
        },
      ],
    },
    errors: [400, 404],
  },
  update: {
    summary: 'Update an MPP',
    description: 'Admin only. Changes registry fields (address, channels, tenants, opening days, active). Audited.',
    body: {
      type: UpdateMppDto,
      example: {
        address: 'Jl. Frans Seda, Kota Kupang',
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
      active: true,
      createdAt: '2026-12-01T12:57:59.392Z',
      updatedAt: '2026-12-01T12:57:59.832Z',
      tenants: [
        {
          name: 'Polres',
          services: ['SKCK'],
        },
        {
          name: 'Disdukcapil',
          services: ['KTP-el', 'Kartu Keluarga'],
        },
      ],
    },
    errors: [400, 403, 404],
  },
  declareClosure: {
    summary: 'Declare a planned closure',
    description:
      "The MPP's manager or an admin. Declares days the MPP is closed (dates local to the MPP); evaluations count them as excused days. Audited.",
    status: 201,
    body: {
      type: CreateClosureDto,
      example: {
        from: '2026-12-24',
        to: '2026-12-26',
        kind: 'renovation',
        reason: 'Perbaikan instalasi listrik gedung',
      },
    },
    response: {
      id: '0b7f7c1e-3d1a-4c55-9a55-2f1d8f0c2a10',
      mppId: 'c7ecb17c-bcb2-449d-93c8-bc3c1efd2409',
      from: '2026-12-24',
      to: '2026-12-26',
      kind: 'renovation',
      reason: 'Perbaikan instalasi listrik gedung',
      createdBy: '317e6dce-e8dc-48e0-a97e-909290922368',
      createdAt: '2026-12-01T02:00:00.000Z',
    },
    errors: [400, 403, 404],
  },
  listClosures: {
    summary: "List an MPP's closures",
    description: 'Scoped (manager of it, bureau of its province, ministry, admin). Read only.',
    response: [
      {
        id: '0b7f7c1e-3d1a-4c55-9a55-2f1d8f0c2a10',
        mppId: 'c7ecb17c-bcb2-449d-93c8-bc3c1efd2409',
        from: '2026-12-24',
        to: '2026-12-26',
        kind: 'renovation',
        reason: 'Perbaikan instalasi listrik gedung',
        createdBy: '317e6dce-e8dc-48e0-a97e-909290922368',
        createdAt: '2026-12-01T02:00:00.000Z',
      },
    ],
    errors: [400, 404],
  },
} satisfies Record<string, OperationDoc>;
