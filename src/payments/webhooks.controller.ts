import { Body, Controller, HttpCode, Logger, Param, Post, Put } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WebhookService } from './webhook.service';
import { Public } from '../auth/auth.decorators';

/**
 * MTN's callbacks (`X-Callback-Url`). MTN sends POST for v1 operations and PUT for v2, unsigned
 * and without the reference id, so the URL names the transaction and carries its secret token.
 * The answer is always 200 at once; the callback is only a hint, confirmed with MTN afterwards.
 */
@ApiTags('webhooks')
// MTN cannot send our API key: the URL carries a per-transaction token instead.
@Public()
@Controller('v1/webhooks/mtn')
export class WebhooksController {
  private readonly logger = new Logger(WebhooksController.name);

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
    void this.webhooks.handle(product, id, token, body).catch((err: unknown) =>
      this.logger.warn({ referenceId: id, product, err: err instanceof Error ? err.message : String(err) }, 'callback handling failed'),
    );
    return { received: true };
  }
}
