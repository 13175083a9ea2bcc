import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../../common/i18n/labels';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/decorators';
import { AppError } from '../../common/errors';
import { AppConfig } from '../../config/app-config';
import { AuthService } from '../auth/auth.service';
import { PageErrorFilter, PageGuard, PageRequest, SESSION_COOKIE, setSessionCookie } from './page-session';
import { PageView } from './page-view';
import { safeNext } from '../../common/http/safe-next';

const FAVICON = readFileSync(join(templatesDir(), 'pages', 'favicon.svg'));

const HOME: Record<string, string> = { manager: '/check-in', bureau: '/bureau', ministry: '/national', admin: '/admin' };

@ApiExcludeController()
@Public()
@UseFilters(PageErrorFilter)
@Controller()
export class PagesController {
  constructor(
    private readonly view: PageView,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Get('login')
  loginForm(@Req() req: PageRequest, @Res() reply: FastifyReply, @Query('next') next?: string) {
    return this.view.render(req, reply, 'login', { next: safeNext(next, this.config.appUrl) });
  }

  @Post('login')
  async login(@Req() req: PageRequest, @Res() reply: FastifyReply, @Body() form: Record<string, string>) {
    const email = String(form.email ?? '').slice(0, 254);
    try {
      const { accessToken } = await this.auth.login({ email, password: String(form.password ?? '').slice(0, 256) }, req.ip);
      setSessionCookie(reply, accessToken, this.config);
      return reply.redirect(safeNext(form.next, this.config.appUrl), 303);
    } catch (e) {
      const limited = e instanceof AppError && e.statusCode === 429;
      return this.view.render(
        req,
        reply,
        'login',
        { email, next: safeNext(form.next, this.config.appUrl), error: limited ? 'login.limited' : 'login.failed' },
        limited ? 429 : 401,
      );
    }
  }

  /** Ends every session of the user (this browser and any other), not only this cookie. */
  @Post('logout')
  async logout(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const token = req.cookies?.[SESSION_COOKIE];
    const user = token ? await this.auth.authenticate(token).catch(() => null) : null;
    if (user) await this.auth.logout(user);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  }

  /** The pages' icon (browsers ask for /favicon.ico on every page): no session, cached a day. */
  @Get('favicon.svg')
  favicon(@Res() reply: FastifyReply) {
    return reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON);
  }

  @Get('favicon.ico')
  faviconIco(@Res() reply: FastifyReply) {
    return this.favicon(reply);
  }

  /** Each role's home. */
  @UseGuards(PageGuard)
  @Get()
  home(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    return reply.redirect(HOME[req.user!.role], 303);
  }
}
