import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MomoModule } from '../momo/momo.module';
import { BreakerHealthIndicator } from './breaker.health';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { MtnTokenHealthIndicator } from './mtn-token.health';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }), MomoModule],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator, MtnTokenHealthIndicator, BreakerHealthIndicator],
})
export class HealthModule {}
