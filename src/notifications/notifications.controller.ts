import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentApiKey, RequireScope } from '../auth/auth.decorators';
import type { AuthenticatedApiKey } from '../auth/authenticated-api-key';
import { ListNotificationsQuery } from './dto/list-notifications.query';
import { NotificationPageView, NotificationView } from './notification.views';
import { NotificationsService } from './notifications.service';

/** The notifications sent (or being sent) to the calling API key's endpoints. */
@ApiTags('notifications')
@Controller('v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @RequireScope('notifications:read')
  @ApiOperation({
    summary:
      "This API key's notifications and their delivery, newest first, with cursor pagination",
  })
  @ApiOkResponse({ type: NotificationPageView })
  list(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @Query() query: ListNotificationsQuery,
  ): Promise<NotificationPageView> {
    return this.notifications.list(key.id, query);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @RequireScope('notifications:write')
  @ApiOperation({
    summary: 'Send a notification again, now (also when DELIVERED or FAILED)',
    description:
      'Queued with a fresh 24-hour retry window; it carries the same X-MoMo-Gateway-Delivery id and body as before.',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: '2d4f6a8c-1e3b-4d5f-9a7c-0b2d4f6a8c1e' })
  @ApiAcceptedResponse({ type: NotificationView })
  @ApiNotFoundResponse({
    description:
      "NOT_FOUND (also for another key's notification, or when its endpoint was deleted)",
  })
  replay(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @Param('id') id: string,
  ): Promise<NotificationView> {
    return this.notifications.replay(key.id, id);
  }
}
