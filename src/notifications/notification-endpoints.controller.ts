import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentApiKey, RequireScope } from '../auth/auth.decorators';
import type { AuthenticatedApiKey } from '../auth/authenticated-api-key';
import { CreateNotificationEndpointDto } from './dto/create-notification-endpoint.dto';
import { NotificationEndpointsService } from './notification-endpoints.service';
import {
  CreatedNotificationEndpointView,
  NotificationEndpointListView,
} from './notification.views';

const ENDPOINT_ID = { name: 'id', format: 'uuid', example: '7c1e2f4a-9b3d-4e5f-8a6b-1c2d3e4f5a6b' };

/** Where the calling API key is told of its transactions' final statuses (docs/notifications.md). */
@ApiTags('notifications')
@Controller('v1/notification-endpoints')
export class NotificationEndpointsController {
  constructor(private readonly endpoints: NotificationEndpointsService) {}

  @Post()
  @HttpCode(201)
  @RequireScope('notifications:write')
  @ApiOperation({
    summary: "Register a URL for this API key's transaction notifications",
    description:
      'The answer carries the signing secret, shown this once. Every transaction this key creates is notified to each of its endpoints when it becomes SUCCESSFUL or FAILED.',
  })
  @ApiCreatedResponse({ type: CreatedNotificationEndpointView })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED: not an http(s) URL, unknown products, 10 endpoints already, or a host this gateway may not call (`url`: host not in NOTIFICATIONS_ALLOWED_HOSTS)',
  })
  @ApiConflictResponse({ description: 'RESOURCE_ALREADY_EXIST: this key already has this URL' })
  create(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @Body() body: CreateNotificationEndpointDto,
  ): Promise<CreatedNotificationEndpointView> {
    return this.endpoints.create(key.id, { url: body.url, products: body.products });
  }

  @Get()
  @RequireScope('notifications:read')
  @ApiOperation({ summary: "This API key's notification endpoints (never their secrets)" })
  @ApiOkResponse({ type: NotificationEndpointListView })
  async list(@CurrentApiKey() key: AuthenticatedApiKey): Promise<NotificationEndpointListView> {
    return { items: await this.endpoints.list(key.id) };
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScope('notifications:write')
  @ApiOperation({
    summary:
      'Delete an endpoint: nothing more is sent to it; its waiting notifications are closed as FAILED',
  })
  @ApiParam(ENDPOINT_ID)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: "NOT_FOUND (also for another key's endpoint)" })
  async remove(@CurrentApiKey() key: AuthenticatedApiKey, @Param('id') id: string): Promise<void> {
    await this.endpoints.remove(key.id, id);
  }
}
