import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsBooleanString,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

/**
 * The environment variables the gateway reads, validated once at start-up. Every variable is
 * documented in `.env.example`; the names follow MTN's own (`MTN_MOMO_*`) where MTN has one.
 */
export class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'test', 'production'])
  NODE_ENV?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @IsString()
  HOST?: string;

  @IsOptional() @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  DATABASE_POOL_SIZE?: number;

  @IsOptional() @IsString()
  EMBEDDED_POSTGRES_DIR?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  EMBEDDED_POSTGRES_PORT?: number;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional() @IsBooleanString()
  LOG_PRETTY?: string;

  @IsOptional() @IsBooleanString()
  LOG_REQUESTS?: string;

  @IsOptional() @IsIn(['sandbox', 'production'])
  MTN_MOMO_ENVIRONMENT?: string;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  MTN_MOMO_BASE_URL?: string;

  @IsOptional() @IsString() @MinLength(1)
  MTN_MOMO_SUBSCRIPTION_KEY?: string;
  @IsOptional() @IsString() @MinLength(1)
  MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY?: string;
  @IsOptional() @IsString() @MinLength(1)
  MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY?: string;
  @IsOptional() @IsString() @MinLength(1)
  MTN_MOMO_REMITTANCE_SUBSCRIPTION_KEY?: string;

  @IsOptional() @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'must be a UUID' })
  MTN_MOMO_API_USER?: string;
  @IsOptional() @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'must be a UUID' })
  MTN_MOMO_COLLECTION_API_USER?: string;
  @IsOptional() @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'must be a UUID' })
  MTN_MOMO_DISBURSEMENT_API_USER?: string;
  @IsOptional() @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'must be a UUID' })
  MTN_MOMO_REMITTANCE_API_USER?: string;

  @IsOptional() @IsString() @MinLength(1)
  MTN_MOMO_API_KEY?: string;
  @IsOptional() @IsString() @MinLength(1)
  MTN_MOMO_COLLECTION_API_KEY?: string;
  @IsOptional() @IsString() @MinLength(1)
  MTN_MOMO_DISBURSEMENT_API_KEY?: string;
  @IsOptional() @IsString() @MinLength(1)
  MTN_MOMO_REMITTANCE_API_KEY?: string;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  MTN_MOMO_CALLBACK_BASE_URL?: string;

  @IsOptional() @Matches(/^[a-z0-9]+$/, { message: 'must be a target environment such as sandbox or mtnuganda' })
  MTN_MOMO_TARGET_ENVIRONMENT?: string;

  @IsOptional() @IsString()
  MTN_MOMO_ACCOUNTS_FILE?: string;

  @IsOptional() @IsString()
  COUNTRY_RULES_FILE?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(120000)
  MTN_MOMO_TIMEOUT_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(3000)
  MTN_MOMO_TOKEN_REFRESH_MARGIN_SECONDS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  MTN_MOMO_BREAKER_FAILURE_THRESHOLD?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3600)
  MTN_MOMO_BREAKER_OPEN_SECONDS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10)
  MTN_MOMO_RETRY_MAX_ATTEMPTS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(60000)
  MTN_MOMO_RETRY_BASE_DELAY_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000)
  MTN_MOMO_RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(60000)
  MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  MTN_MOMO_RATE_LIMIT_BACKGROUND_PERCENT?: number;

  @IsOptional() @IsBooleanString()
  POLL_ENABLED?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(3600000)
  POLL_INTERVAL_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1000)
  POLL_MAX_ATTEMPTS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(256)
  CALLBACK_CONCURRENCY?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1000000)
  CALLBACK_QUEUE_CAPACITY?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(600000)
  CALLBACK_DRAIN_TIMEOUT_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  MOMO_EMULATOR_PORT?: number;

  @IsOptional() @IsBooleanString()
  NOTIFICATIONS_ENABLED?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(3600000)
  NOTIFICATIONS_INTERVAL_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(60000)
  NOTIFICATIONS_TIMEOUT_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(3650)
  NOTIFICATIONS_RETENTION_DAYS?: number;

  // Only a string here: loadConfig parses the patterns, so its error can name the bad item.
  @IsOptional() @IsString()
  NOTIFICATIONS_ALLOWED_HOSTS?: string;

  @IsOptional() @IsBooleanString()
  RECONCILIATION_SCHEDULE_ENABLED?: string;

  @IsOptional() @Matches(/^\S+( \S+){4,5}$/, { message: 'must be a cron expression of 5 or 6 fields, e.g. */15 * * * *' })
  RECONCILIATION_STALE_PENDING_CRON?: string;

  @IsOptional() @Matches(/^\S+( \S+){4,5}$/, { message: 'must be a cron expression of 5 or 6 fields, e.g. 30 0 * * *' })
  RECONCILIATION_DAILY_CRON?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(604800)
  RECONCILIATION_PENDING_THRESHOLD_SECONDS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(604800)
  RECONCILIATION_NOT_FOUND_GRACE_SECONDS?: number;

  @IsOptional() @IsBooleanString()
  RECONCILIATION_FAIL_MISSING_PENDING?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(86400)
  RECONCILIATION_HEARTBEAT_TIMEOUT_SECONDS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  RECONCILIATION_MAX_RESUMES?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(32)
  RECONCILIATION_CONCURRENCY?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(3600)
  API_KEY_CACHE_TTL_SECONDS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000000)
  API_KEY_RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional() @IsBooleanString()
  METRICS_PUBLIC?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(300)
  METRICS_PENDING_CACHE_SECONDS?: number;

  @IsOptional() @IsBooleanString()
  HEALTH_TOKEN_CHECK?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(3600)
  HEALTH_TOKEN_CHECK_TTL_SECONDS?: number;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  @IsOptional() @Matches(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, { message: 'must be key=value pairs separated by commas' })
  OTEL_EXPORTER_OTLP_HEADERS?: string;

  @IsOptional() @IsString() @MinLength(1)
  OTEL_SERVICE_NAME?: string;

  @IsOptional() @IsIn(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
  OTEL_TRACES_SAMPLER?: string;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  OTEL_TRACES_SAMPLER_ARG?: number;

  @IsOptional() @IsBooleanString()
  OTEL_SDK_DISABLED?: string;
}
