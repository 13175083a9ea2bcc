import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/decorators';
import type { Principal } from '../../common/auth/principal';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/decorators';
import { ForgotPasswordDto, LoginDto, ResetPasswordDto } from './auth.dto';
import { AccountsService } from '../users/accounts.service';
import { AuthService } from './auth.service';
import { ApiDoc } from '../../common/http/api-doc';
import { AUTH_API } from './auth.api-docs';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AccountsService,
  ) {}

  @ApiDoc(AUTH_API.login)
  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest) {
    return this.auth.login(dto, req.ip);
  }

  /** Ends every session of the caller: all its tokens and page cookies issued before now stop working. */
  @ApiDoc(AUTH_API.logout)
  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  logout(@CurrentUser() user: Principal) {
    return this.auth.logout(user);
  }

  @ApiDoc(AUTH_API.forgotPassword)
  @Public()
  @Post('password/forgot')
  @HttpCode(202)
  forgotPassword(@Body() dto: ForgotPasswordDto, @Req() req: FastifyRequest) {
    return this.auth.forgotPassword(dto.email, req.ip);
  }

  @ApiDoc(AUTH_API.resetPassword)
  @Public()
  @Post('password/reset')
  @HttpCode(204)
  resetPassword(@Body() dto: ResetPasswordDto) {
    return this.accounts.setPassword(dto.token, dto.password);
  }
}
