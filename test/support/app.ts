import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { API_KEY_SCOPES } from '../../src/auth/api-key.scopes';
import { ApiKeyStore } from '../../src/auth/api-key.store';
import { createApp } from '../../src/bootstrap/create-app';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { createTestDatabase, type TestDatabase } from './database';

export interface RequestOptions {
  /** The API key to send (as `Authorization: Bearer`); null: none. Default: the all-scopes test key. */
  apiKey?: string | null;
}

export interface JsonResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** JSON request to the app; resolves with status, headers and parsed body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked by assertions
export type JsonRequest = <T = any>(
  method: string,
  route: string,
  body?: unknown,
  headers?: Record<string, string>,
  options?: RequestOptions,
) => Promise<JsonResponse<T>>;

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
  db: TestDatabase;
  /** An API key with every scope (and a limit no test reaches), created at start; sent by `request`. */
  apiKey: string;
  request: JsonRequest;
  close(): Promise<void>;
}

/**
 * Creates an API key with every scope in the app's database and returns it. The limit is high so
 * that suites polling in tight loops never meet the per-key rate limit by accident.
 */
export async function createAllScopesKey(app: NestFastifyApplication): Promise<string> {
  const created = await app.get(ApiKeyStore).create({
    name: `test-${randomBytes(4).toString('hex')}`,
    scopes: API_KEY_SCOPES,
    rateLimitPerMinute: 1_000_000,
  });
  return created.key;
}

/**
 * A JSON request function that sends `defaultKey` unless told otherwise: `options.apiKey` names
 * another key (or null for none), and an `authorization` or `x-api-key` header given by the test
 * is sent as it is, in place of the default key.
 */
export function jsonRequest(baseUrl: string, defaultKey: string): JsonRequest {
  return async (method, route, body, headers = {}, options = {}) => {
    const own = Object.keys(headers).some((h) =>
      ['authorization', 'x-api-key'].includes(h.toLowerCase()),
    );
    const key = options.apiKey === undefined ? defaultKey : options.apiKey;
    const res = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(!own && key !== null ? { authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed as never };
  };
}

/**
 * The real application (same wiring as `npm start`) on a fresh migrated database of its own,
 * listening on a free port so tests talk to it over real HTTP.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { db?: TestDatabase } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const apiKey = await createAllScopesKey(app);
  return {
    app,
    url,
    config,
    db,
    apiKey,
    request: jsonRequest(url, apiKey),
    close: async () => {
      await app.close();
      if (!options.db) await db.drop();
    },
  };
}
