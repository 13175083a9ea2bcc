import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role } from './principal';

export const IS_PUBLIC = 'auth:public';
export const ROLES_KEY = 'auth:roles';

/** No bearer token needed (health, login, one-time links). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Roles allowed on a handler; others get 403. Without it any signed-in role passes the guard. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ user: Principal }>().user;
});
