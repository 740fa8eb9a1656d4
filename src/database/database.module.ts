import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CounterPool } from './counter-pool';
import { typeOrmOptions } from './typeorm-options';

/** The TypeORM root, and the counters' own pool (global: the rate limiters use it). */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.database.url) throw new Error('database.url must be resolved before the application starts');
        return { ...typeOrmOptions(config.database.url, config.database.poolSize), retryAttempts: 3, retryDelay: 1000 };
      },
    }),
  ],
  providers: [CounterPool],
  exports: [CounterPool],
})
export class DatabaseModule {}
