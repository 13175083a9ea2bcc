import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC, ROLES_KEY, SESSION_CHECKED_BY_HANDLER } from '../../common/auth/decorators';
import type { Principal, Role } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { AuthService } from './auth.service';

/** Global guard: every route needs a valid bearer token unless marked @Public(); @Roles narrows further (403). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw AppError.unauthorized('Missing bearer token');
    const deferred = this.reflector.getAllAndOverride<boolean>(SESSION_CHECKED_BY_HANDLER, targets);
    req.user = (deferred && (await this.auth.claimedManager(match[1]))) || (await this.auth.authenticate(match[1]));
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(req.user.role)) throw AppError.forbidden();
    return true;
  }
}
