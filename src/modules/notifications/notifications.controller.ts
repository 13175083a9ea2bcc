import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/decorators';
import { NotificationQuery } from './notifications.dto';
import { NotificationsService } from './notifications.service';
import { ApiDoc } from '../../common/http/api-doc';
import { NOTIFICATIONS_API } from './notifications.api-docs';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @ApiDoc(NOTIFICATIONS_API.list)
  @Roles('admin', 'ministry')
  @Get()
  list(@Query() query: NotificationQuery) {
    return this.notifications.list(query);
  }

  @ApiDoc(NOTIFICATIONS_API.get)
  @Roles('admin', 'ministry')
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.notifications.get(id);
  }

  @ApiDoc(NOTIFICATIONS_API.retry)
  @Roles('admin')
  @Post(':id/retry')
  @HttpCode(202)
  retry(@Param('id', ParseUUIDPipe) id: string) {
    return this.notifications.retry(id);
  }
}
