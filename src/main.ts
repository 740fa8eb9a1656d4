import 'reflect-metadata';
import type * as CreateAppModule from './bootstrap/create-app';
import type * as EmbeddedDefaultsModule from './bootstrap/embedded-defaults';
import { ConfigError, loadConfig, loadDotEnvFile, type AppConfig } from './config/app-config';
import { startTracing } from './observability/tracing';

/**
 * Start-up: validate the configuration, bring up the embedded defaults (PostgreSQL, the MoMo
 * emulator) for whatever is not configured, then serve. SIGTERM stops accepting, lets in-flight
 * requests finish, closes the pool, then stops what the embedded defaults started.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    loadDotEnvFile();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  // Tracing first, and the application only then: its instrumentations patch http and pg as
  // they load (docs/observability.md). Off without OTEL_EXPORTER_OTLP_ENDPOINT.
  const tracing = startTracing(config.observability.tracing);
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded after tracing on purpose */
  const { createApp } = require('./bootstrap/create-app') as typeof CreateAppModule;
  const { startEmbeddedDefaults } = require('./bootstrap/embedded-defaults') as typeof EmbeddedDefaultsModule;
  /* eslint-enable @typescript-eslint/no-require-imports */

  const defaults = await startEmbeddedDefaults(config);
  let app;
  try {
    app = await createApp(defaults.config);
    await app.listen({ port: defaults.config.http.port, host: defaults.config.http.host });
  } catch (err) {
    await defaults.stop();
    throw err;
  }
  const url = await app.getUrl();
  for (const line of defaults.banner(url)) process.stdout.write(`${line}\n`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal} received: finishing in-flight requests\n`);
    void app
      .close()
      .catch((err: unknown) => process.stderr.write(`error while closing: ${String(err)}\n`))
      .then(() => defaults.stop())
      .then(() => tracing.shutdown())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`momo-gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
