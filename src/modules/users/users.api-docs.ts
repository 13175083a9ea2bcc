import type { OperationDoc } from '../../common/http/api-doc';
import { CreateUserDto, UpdateUserDto } from './users.dto';

/** The OpenAPI text of users.controller.ts: who may call each operation, what it changes, examples from the domain. */
export const USERS_API = {
  create: {
    summary: 'Create a user',
    description:
      'Admin only. Creates a manager (needs `mppIds`), a provincial bureau user (needs `provinceCode`), a ministry user or an admin. Without `password` the user is `invited`: an email carries a single-use link (7 days) to set one. Audited.',
    status: 201,
    body: {
      type: CreateUserDto,
      example: {
        email: 'biro.53@mpp.demo',
        name: 'Biro Organisasi Setda NTT',
        password: 'sandi-biro-yang-panjang',
        role: 'bureau',
        provinceCode: '53',
      },
    },
    response: {
      id: 'a7ee7784-9457-4867-a30a-3f1b08036ec7',
      email: 'biro.53@mpp.demo',
      name: 'Biro Organisasi Setda NTT',
      role: 'bureau',
      provinceCode: '53',
      mppIds: [],
      active: true,
      status: 'active',
      locale: 'id',
      phone: '+62 812 3456 7890',
      createdAt: '2026-12-01T12:57:59.619Z',
      updatedAt: '2026-12-01T12:57:59.721Z',
    },
    errors: [400, 403, 409],
  },
  list: {
    summary: 'List users',
    description: 'Admin only. Every user with role, scope and whether active. Read only.',
    response: [
      {
        id: 'a7ee7784-9457-4867-a30a-3f1b08036ec7',
        email: 'biro.53@mpp.demo',
        name: 'Biro Organisasi Setda NTT',
        role: 'bureau',
        provinceCode: '53',
        mppIds: [],
        active: true,
        locale: 'id',
        phone: '+62 812 3456 7890',
        createdAt: '2026-12-01T12:57:59.619Z',
        updatedAt: '2026-12-01T12:57:59.721Z',
      },
    ],
    errors: [400, 403],
  },
  get: {
    summary: 'Get a user',
    description: 'Admin only. One user by id. Read only.',
    response: {
      id: 'a7ee7784-9457-4867-a30a-3f1b08036ec7',
      email: 'biro.53@mpp.demo',
      name: 'Biro Organisasi Setda NTT',
      role: 'bureau',
      provinceCode: '53',
      mppIds: [],
      active: true,
      status: 'active',
      locale: 'id',
      phone: '+62 812 3456 7890',
      createdAt: '2026-12-01T12:57:59.619Z',
      updatedAt: '2026-12-01T12:57:59.721Z',
    },
    errors: [400, 403, 404],
  },
  update: {
    summary: 'Update a user',
    description:
      "Admin only. Changes name, role, scope, locale, password or deactivates; a deactivated user's tokens stop working. Audited.",
    body: {
      type: UpdateUserDto,
      example: {
        name: 'Biro Organisasi Setda NTT',
      },
    },
    response: {
      id: 'a7ee7784-9457-4867-a30a-3f1b08036ec7',
      email: 'biro.53@mpp.demo',
      name: 'Biro Organisasi Setda NTT',
      role: 'bureau',
      provinceCode: '53',
      mppIds: [],
      active: true,
      status: 'active',
      locale: 'id',
      phone: '+62 812 3456 7890',
      createdAt: '2026-12-01T12:57:59.619Z',
      updatedAt: '2026-12-01T12:57:59.721Z',
    },
    errors: [400, 403, 404],
  },
  invite: {
    summary: 'Send a new invitation',
    description:
      'Admin. For a user who has not set a password yet (`status: invited`): earlier links stop working and a new invitation email with a single-use set-password link (7 days) is queued. Audited as user.invite.',
    status: 204,
    responseDescription: 'A new invitation is on its way',
    errors: [400, 403, 404, 409],
  },
} satisfies Record<string, OperationDoc>;
