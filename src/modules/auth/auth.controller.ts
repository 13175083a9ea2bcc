import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/decorators';
import type { Principal } from '../../common/auth/principal';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/decorators';
import { LoginDto } from './auth.dto';
import { AuthService } from './auth.service';
import { ApiDoc } from '../../common/http/api-doc';
import { AUTH_API } from './auth.api-docs';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

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
}
