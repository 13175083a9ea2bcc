import type { OperationDoc } from '../../common/http/api-doc';

const MPP = {
  id: '1f4d9c7e-2b3a-4c5d-8e6f-7a8b9c0d1e2f',
  name: 'MPP Kota Kupang',
  regencyCode: '53.71',
  regencyName: 'Kota Kupang',
  provinceCode: '53',
  provinceName: 'Nusa Tenggara Timur',
  week: '2026-W48',
  status: 'operating',
  weeks: [
    { week: '2026-W47', status: 'operating' },
    { week: '2026-W48', status: 'operating' },
  ],
  openingDays: [1, 2, 3, 4, 5],
  address: 'Jl. El Tari No. 5, Kupang',
  latitude: -10.1772,
  longitude: 123.607,
  services: ['KTP-el', 'Kartu Keluarga', 'SKCK'],
};

/** The OpenAPI text of the public status: anyone, no login, public data only. */
export const PUBLIC_STATUS_API = {
  list: {
    summary: 'Public status of every monitored MPP',
    description:
      'Anyone, no login. Each MPP’s status in the latest evaluated week (`operating`, `limited`, `not_operating`, `no_report`, `closed`) and the last 8 weeks, its opening days, address, location (`latitude`/`longitude`, null when not registered) and services. No person, no figures, no manager’s words. `?province=53` narrows it. `Cache-Control: public, max-age=300` and an ETag: `304` on a matching `If-None-Match`. Read only.',
    public: true,
    response: [MPP],
    errors: [400],
  },
} satisfies Record<string, OperationDoc>;
