import type { Role } from '../../src/common/auth/principal';
import type { CreateUserDto, UserView } from '../../src/modules/users/users.dto';
import type { MppView } from '../../src/modules/mpps/mpps.dto';
import type { TestApp } from './app';
import { PASSWORD } from './app';

let seq = 0;

export interface MppInput {
  regencyCode?: string;
  name?: string;
  inauguratedOn?: string;
  channels?: string[];
  tenants?: { name: string; services: string[] }[];
  openingDays?: number[];
}

export async function createMpp(t: TestApp, adminToken: string, input: MppInput = {}): Promise<MppView> {
  const res = await t.as(adminToken).post<MppView>('/api/v1/mpps', {
    regencyCode: '53.71',
    name: `MPP Uji ${++seq}`,
    inauguratedOn: '2023-10-31',
    channels: ['direct', 'electronic'],
    tenants: [
      { name: 'Polres', services: ['SKCK'] },
      { name: 'Disdukcapil', services: ['KTP-el', 'Kartu Keluarga'] },
    ],
    ...input,
  });
  if (res.status !== 201) throw new Error(`createMpp: ${res.status} ${res.text}`);
  return res.body;
}

export type UserInput = Partial<Omit<CreateUserDto, 'role'>> & { role: Role };

/** A user with a password, signed in: `token` is theirs. */
export interface SignedInUser {
  id: string;
  email: string;
  token: string;
}

export async function createUser(t: TestApp, adminToken: string, input: UserInput): Promise<SignedInUser> {
  const email = input.email ?? `${input.role}${++seq}@mpp-monitor.test`;
  const res = await t.as(adminToken).post<UserView>('/api/v1/users', { name: `${input.role} ${seq}`, password: PASSWORD, ...input, email });
  if (res.status !== 201) throw new Error(`createUser: ${res.status} ${res.text}`);
  return { id: res.body.id, email, token: await t.login(email) };
}

export function checkInBody(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    daysOpen: 5,
    tenantsServing: 2,
    countersOpen: 8,
    visitors: 1450,
    transactions: 1730,
    channels: { direct: true, mobile: true, self: false, electronic: true },
    status: 'normal',
    closureReason: null,
    problems: 'Printer KTP rusak sejak Rabu',
    ...patch,
  };
}
