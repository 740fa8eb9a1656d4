import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
  ) {}

  /** Liveness: the process answers. Nothing external, so a database outage never restarts pods. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness probe: the process is up' })
  live() {
    return this.health.check([]);
  }

  /** Readiness: the pod can serve traffic (503 when it cannot). */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness probe: database reachable and migrated' })
  ready() {
    return this.health.check([() => this.database.check()]);
  }
}
