import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { newApiKey } from './api-users';
import type { EmulatorOptions } from './options';
import type { Product } from './products';
import { buildServer } from './server';
import { EmulatorState } from './state';

export type { EmulatorOptions, EmulatorSettings, SeedApiUser } from './options';
export type { Product } from './products';
export { EmulatorState } from './state';

export interface ApiUserCredentials {
  apiUser: string;
  apiKey: string;
  providerCallbackHost: string;
  targetEnvironment: string;
}

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:8090 (MTN's paths start right after it). */
  url: string;
  port: number;
  /** The subscription key of each product (Ocp-Apim-Subscription-Key). */
  subscriptionKeys: Readonly<Record<Product, string>>;
  /** Direct access to the emulator's memory, for assertions. */
  state: EmulatorState;
  /** An API user with a key, without going through provisioning. */
  createApiUser(input?: Partial<ApiUserCredentials>): ApiUserCredentials;
  /** Resolves once no callback is scheduled or in flight. */
  callbacksIdle(): Promise<void>;
  /** Back to the starting state (same keys, seeded users only). */
  reset(): void;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState(options);
  const app = buildServer(state);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const port = (app.server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let stopped = false;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    subscriptionKeys: state.subscriptionKeys,
    state,
    createApiUser(input = {}) {
      const credentials: ApiUserCredentials = {
        apiUser: input.apiUser ?? randomUUID(),
        apiKey: input.apiKey ?? newApiKey(),
        providerCallbackHost: input.providerCallbackHost ?? 'localhost',
        targetEnvironment: input.targetEnvironment ?? 'sandbox',
      };
      if (!state.createApiUser(credentials)) {
        throw new Error(`API user ${credentials.apiUser} already exists`);
      }
      return credentials;
    },
    callbacksIdle: () => state.callbacks.whenIdle(),
    reset: () => state.reset(),
    async stop() {
      if (stopped) return;
      stopped = true;
      state.shutdown();
      await app.close();
    },
  };
}
