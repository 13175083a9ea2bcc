export const ROLES = ['admin', 'ministry', 'bureau', 'manager'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user as every service sees it: role plus the scope that role carries. */
export interface Principal {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Set for `bureau`: the one province it sees. */
  provinceCode: string | null;
  /** Set for `manager`: the MPPs it manages. */
  mppIds: string[];
  locale: 'id' | 'en';
  /** Bumped to revoke every session of the user; an access token names the version it was issued at. */
  tokenVersion: number;
  /**
   * Set when only the token's signature was checked (@SessionCheckedByHandler): the token version,
   * the account and `mppIds` (then empty) are still to be checked by the handler's statement.
   */
  sessionUnchecked?: true;
}

/** Which MPPs a principal may see, as data a query can apply. */
export type MppScope = { kind: 'all' } | { kind: 'province'; provinceCode: string } | { kind: 'mpps'; mppIds: string[] };

export function mppScopeOf(user: Principal): MppScope {
  switch (user.role) {
    case 'admin':
    case 'ministry':
      return { kind: 'all' };
    case 'bureau':
      return { kind: 'province', provinceCode: user.provinceCode ?? '' };
    case 'manager':
      return { kind: 'mpps', mppIds: user.mppIds };
  }
}

export function canSeeMpp(user: Principal, mpp: { id: string; provinceCode: string }): boolean {
  const scope = mppScopeOf(user);
  if (scope.kind === 'all') return true;
  if (scope.kind === 'province') return scope.provinceCode === mpp.provinceCode;
  return scope.mppIds.includes(mpp.id);
}
