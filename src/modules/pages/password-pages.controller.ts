import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/decorators';
import { AppError } from '../../common/errors';
import { AuthService } from '../auth/auth.service';
import { AccountsService } from '../users/accounts.service';
import { PageErrorFilter, PageRequest } from './page-session';
import { PageView } from './page-view';

/** The pages behind the invitation and reset emails' links, and "Lupa kata sandi" (no session needed). */
@ApiExcludeController()
@Public()
@UseFilters(PageErrorFilter)
@Controller('password')
export class PasswordPagesController {
  constructor(
    private readonly view: PageView,
    private readonly accounts: AccountsService,
    private readonly auth: AuthService,
  ) {}

  @Get('set')
  async setForm(@Req() req: PageRequest, @Res() reply: FastifyReply, @Query('token') token?: string) {
    const usable = token && token.length <= 200 ? await this.accounts.usable(token) : null;
    if (!usable) return this.view.render(req, reply, 'message', { message: 'password.invalidLink', back: '/password/forgot' }, 410);
    return this.view.render(req, reply, 'password-set', { token, email: usable.email });
  }

  @Post('set')
  async set(@Req() req: PageRequest, @Res() reply: FastifyReply, @Body() form: Record<string, string>) {
    const token = String(form.token ?? '').slice(0, 200);
    const password = String(form.password ?? '').slice(0, 256);
    if (password !== String(form.password2 ?? ''))
      return this.view.render(req, reply, 'password-set', { token, error: 'password.mismatch' }, 400);
    try {
      await this.accounts.setPassword(token, password);
      return this.view.render(req, reply, 'message', { ok: true, message: 'password.saved' });
    } catch (e) {
      if (!(e instanceof AppError) || e.statusCode !== 400) throw e;
      if (e.code === 'invalid_token')
        return this.view.render(req, reply, 'message', { message: 'password.invalidLink', back: '/password/forgot' }, 410);
      return this.view.render(req, reply, 'password-set', { token, error: 'password.weak' }, 400);
    }
  }

  @Get('forgot')
  forgotForm(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    return this.view.render(req, reply, 'password-forgot');
  }

  @Post('forgot')
  async forgot(@Req() req: PageRequest, @Res() reply: FastifyReply, @Body() form: Record<string, string>) {
    const email = String(form.email ?? '').slice(0, 254);
    if (/^[^\s@]+@[^\s@]+$/.test(email)) await this.auth.forgotPassword(email, req.ip);
    return this.view.render(req, reply, 'password-forgot', { sent: true }, 202);
  }
}
