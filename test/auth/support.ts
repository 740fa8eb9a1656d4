import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import type { ApiKeyScope } from '../../src/auth/api-key.scopes';
import { ApiKeyStore } from '../../src/auth/api-key.store';

let counter = 0;

/** A new key in the app's database; returns the key itself and its name. */
export async function createKey(
  app: NestFastifyApplication,
  scopes: readonly ApiKeyScope[],
  options: { name?: string; rateLimitPerMinute?: number } = {},
): Promise<{ key: string; name: string; id: string }> {
  const name = options.name ?? `auth-test-${++counter}-${randomUUID().slice(0, 8)}`;
  const created = await app
    .get(ApiKeyStore)
    .create({ name, scopes, rateLimitPerMinute: options.rateLimitPerMinute });
  return { key: created.key, name, id: created.summary.id };
}

export interface RouterRoute {
  method: string;
  /** As registered, with `:params` and `*`. */
  path: string;
}

/**
 * Every route Fastify's router holds (Nest's controllers, Swagger's pages, anything registered on
 * Fastify directly), read from `printRoutes()`: one line per tree node, indented by depth, each
 * naming its path segment and methods. A node's full path is its ancestors' segments joined.
 */
export function routerRoutes(app: NestFastifyApplication): RouterRoute[] {
  const tree = app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: RouterRoute[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    if (!m[3]) continue;
    const path = stack.join('');
    for (const method of m[3].split(',').map((s) => s.trim())) routes.push({ method, path });
  }
  return routes;
}

const SAMPLE_PARAMS: Record<string, string> = {
  id: '0b9f4a40-4a7b-4c5e-9d4e-2b7a8f0c1d2e',
  phoneNumber: '256774123456',
  product: 'collection',
  token: 'not-a-token',
};

/** A concrete URL for a route pattern: sample values for its parameters. */
export function concretePath(path: string): string {
  return path
    .replace(/:([A-Za-z]+)/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'sample')
    .replace(/\*$/, 'sample.css');
}

/**
 * Captures every log line the next app writes: `loggerOptions` writes through
 * `pino.destination()`, replaced here by an in-memory stream until `stop()`.
 */
export function captureLogs(): { lines: string[]; stop(): void } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.length > 0),
      );
      done();
    },
  });
  const spy = jest
    .spyOn(pino, 'destination')
    .mockReturnValue(sink as unknown as ReturnType<typeof pino.destination>);
  return { lines, stop: () => spy.mockRestore() };
}
