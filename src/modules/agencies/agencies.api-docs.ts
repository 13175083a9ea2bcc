import type { OperationDoc } from '../../common/http/api-doc';
import { CreateAgencyDto } from './agencies.dto';

/** The OpenAPI text of agencies.controller.ts. */
export const AGENCIES_API = {
  list: {
    summary: 'National list of tenant agencies',
    description:
      'Any signed-in user. The agencies (instansi) that serve in MPPs, with stable codes; a tenant whose name matches a code, name or alias (case-insensitive, also as a prefix: "Polres Kupang Kota" → POLRI) points at its agency. Read only.',
    response: [
      { code: 'DISDUKCAPIL', name: 'Dinas Kependudukan dan Pencatatan Sipil', aliases: ['Disdukcapil', 'Dukcapil'] },
      { code: 'POLRI', name: 'Kepolisian Negara Republik Indonesia', aliases: ['Polri', 'Polres', 'Polresta'] },
    ],
  },
  create: {
    summary: 'Add an agency to the national list',
    description:
      'Admin. Adds an agency with a stable code; tenants not yet matched to an agency whose name matches it are linked at once. Audited as agency.create.',
    status: 201,
    body: { type: CreateAgencyDto, example: { code: 'DINSOS', name: 'Dinas Sosial', aliases: ['Dinsos'] } },
    response: { code: 'DINSOS', name: 'Dinas Sosial', aliases: ['Dinsos'] },
    errors: [400, 403, 409],
  },
} satisfies Record<string, OperationDoc>;
