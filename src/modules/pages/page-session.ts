import { ArgumentsHost, CanActivate, Catch, ExceptionFilter, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROLES_KEY } from '../../common/auth/decorators';
import type { Principal, Role } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { AppConfig } from '../../config/app-config';
import { AuthService } from '../auth/auth.service';
import { PageView } from './page-view';
import { maskUrl } from '../../common/http/mask-url';

export const SESSION_COOKIE = 'mpp_session';

export type PageRequest = FastifyRequest & { user?: Principal; cookies: Record<string, string | undefined> };

/** Not signed in (or the session expired): pages answer with the login form, not JSON. */
export class LoginRequired extends Error {}

/**
 * Pages authenticate with an httpOnly session cookie holding the same signed token the API takes
 * as a bearer token; the user is re-read on every request, so deactivation applies at once.
 */
@Injectable()
export class PageGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<PageRequest>();
    const token = req.cookies?.[SESSION_COOKIE];
    if (!token) throw new LoginRequired();
    req.user = await this.auth.authenticate(token).catch(() => {
      throw new LoginRequired();
    });
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (roles && !roles.includes(req.user.role)) throw AppError.forbidden();
    return true;
  }
}

export function setSessionCookie(reply: FastifyReply, token: string, config: AppConfig): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: config.appUrl.startsWith('https://'),
    maxAge: config.jwt.expiresIn,
  });
}

/** Page errors as pages: the login form, or a message in the reader's language with the right status. */
@Catch()
@Injectable()
export class PageErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Pages');

  constructor(private readonly view: PageView) {}

  async catch(error: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const req = http.getRequest<PageRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (error instanceof LoginRequired) {
      await reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
      return;
    }
    const status = error instanceof AppError ? error.statusCode : 500;
    if (status >= 500) this.logger.error({ err: error, url: maskUrl(req.url) }, 'Page failed');
    const message = status === 404 ? 'error.notFound' : status === 403 ? 'error.forbidden' : 'error.invalid';
    await this.view.render(req, reply, 'message', { heading: String(status), message }, status);
  }
}
