import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WebhookService } from './webhook.service';
import { Public } from '../auth/auth.decorators';

/**
 * MTN's callbacks (`X-Callback-Url`). MTN sends POST for v1 operations and PUT for v2, unsigned
 * and without the reference id, so the URL names the transaction and carries its secret token.
 * The answer is always 200 at once; the callback is only a hint, confirmed with MTN afterwards
 * (through a bounded queue, or by the poller when the queue is full: see `WebhookService`).
 */
@ApiTags('webhooks')
// MTN cannot send our API key: the URL carries a per-transaction token instead.
@Public()
@Controller('v1/webhooks/mtn')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post(':product/:id/:token')
  @HttpCode(200)
  @ApiOperation({ summary: 'MTN callback (POST, v1 operations). Always 200; confirmed with MTN before anything changes.' })
  @ApiOkResponse({ schema: { example: { received: true } } })
  post(@Param('product') product: string, @Param('id') id: string, @Param('token') token: string, @Body() body: unknown) {
    return this.receive(product, id, token, body);
  }

  @Put(':product/:id/:token')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  put(@Param('product') product: string, @Param('id') id: string, @Param('token') token: string, @Body() body: unknown) {
    return this.receive(product, id, token, body);
  }

  private receive(product: string, id: string, token: string, body: unknown): { received: true } {
    this.webhooks.receive(product, id, token, body);
    return { received: true };
  }
}
