import type { OperationDoc } from '../../common/http/api-doc';

/** The OpenAPI text of regions.controller.ts: who may call each operation, what it changes, examples from the domain. */
export const REGIONS_API = {
  provinces: {
    summary: 'List the 38 provinces',
    description:
      "Any signed-in user. The Kemendagri province codes, names and the time zone (WIB/WITA/WIT as an IANA name) that decides each MPP's weekly deadlines. Read only.",
    response: [
      {
        code: '53',
        name: 'NUSA TENGGARA TIMUR',
        timezone: 'Asia/Makassar',
      },
    ],
  },
  regencies: {
    summary: 'List regencies and cities',
    description: 'Any signed-in user. The 514 regencies/cities, or those of one province with `?province=53`. Read only.',
    response: [
      {
        code: '53.01',
        provinceCode: '53',
        name: 'KABUPATEN KUPANG',
      },
      {
        code: '53.02',
        provinceCode: '53',
        name: 'KABUPATEN TIMOR TENGAH SELATAN',
      },
    ],
    errors: [400],
  },
} satisfies Record<string, OperationDoc>;
