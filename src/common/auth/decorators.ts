import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role } from './principal';

export const IS_PUBLIC = 'auth:public';
export const ROLES_KEY = 'auth:roles';
export const SESSION_CHECKED_BY_HANDLER = 'auth:session-checked-by-handler';

/** No bearer token needed (health, login, one-time links). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Roles allowed on a handler; others get 403. Without it any signed-in role passes the guard. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * For a manager's token, the guard checks signature and expiry only and leaves the session
 * (token version, active account) and the MPP scope to the handler's own statement, which must
 * check them before it changes anything (the check-in PUT: one round trip less per batch).
 */
export const SessionCheckedByHandler = () => SetMetadata(SESSION_CHECKED_BY_HANDLER, true);

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ user: Principal }>().user;
});
