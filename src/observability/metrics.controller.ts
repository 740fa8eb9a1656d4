import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MetricsAccess } from '../auth/auth.decorators';
import { MetricsService } from './metrics.service';

@ApiTags('observability')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Public unless METRICS_PUBLIC=false, then it needs an API key with `metrics:read`. */
  @Get()
  @MetricsAccess()
  @ApiOperation({
    summary: 'Prometheus metrics (text exposition format); see docs/observability.md',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format 0.0.4' })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const body = await this.metrics.render();
    void reply.header('content-type', this.metrics.contentType).header('cache-control', 'no-store');
    return body;
  }
}
