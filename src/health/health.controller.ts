import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { BreakerHealthIndicator } from './breaker.health';
import { DatabaseHealthIndicator } from './database.health';
import { MtnTokenHealthIndicator } from './mtn-token.health';

@ApiTags('health')
// Probes must answer without a key.
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly tokens: MtnTokenHealthIndicator,
    private readonly breakers: BreakerHealthIndicator,
  ) {}

  /** Liveness: the process answers. Nothing external, so a database outage never restarts pods. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness probe: the process is up' })
  live() {
    return this.health.check([]);
  }

  /**
   * Readiness: the pod can serve traffic (503 when it cannot): the database answers with every
   * migration applied, and each configured MTN product can get a token (cached). The breakers are
   * shown but never fail it.
   */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness probe: database migrated, MTN tokens obtainable; breakers shown',
  })
  ready() {
    const checks: HealthIndicatorFunction[] = [() => this.database.check()];
    if (this.config.observability.readiness.tokenCheck) checks.push(() => this.tokens.check());
    checks.push(() => this.breakers.check());
    return this.health.check(checks);
  }
}
