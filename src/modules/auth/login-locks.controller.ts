import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/decorators';
import { ApiDoc } from '../../common/http/api-doc';
import { AUTH_API } from './auth.api-docs';
import { AuthService } from './auth.service';

/** An admin lifts the login delay of an account (its owner was slowed down by someone guessing). */
@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/users')
export class LoginLocksController {
  constructor(private readonly auth: AuthService) {}

  @ApiDoc(AUTH_API.unlock)
  @Post(':id/unlock')
  @HttpCode(204)
  unlock(@Param('id', ParseUUIDPipe) id: string) {
    return this.auth.unlock(id);
  }
}
