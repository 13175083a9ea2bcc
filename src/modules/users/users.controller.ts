import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/decorators';
import { CreateUserDto, UpdateUserDto, UserQuery } from './users.dto';
import { UsersService } from './users.service';
import { AccountsService } from './accounts.service';
import { ApiDoc } from '../../common/http/api-doc';
import { USERS_API } from './users.api-docs';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountsService,
  ) {}

  @ApiDoc(USERS_API.create)
  @Post()
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  @ApiDoc(USERS_API.list)
  @Get()
  list(@Query() query: UserQuery) {
    return this.users.list(query);
  }

  @ApiDoc(USERS_API.get)
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.users.get(id);
  }

  @ApiDoc(USERS_API.update)
  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(id, dto);
  }

  @ApiDoc(USERS_API.invite)
  @Post(':id/invite')
  @HttpCode(204)
  invite(@Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.resendInvitation(id);
  }
}
