import { randomBytes } from 'node:crypto';

export interface ApiUser {
  readonly id: string;
  readonly providerCallbackHost: string;
  /** Host name the callback URLs are compared with (see callbackHostname). */
  readonly callbackHostname: string;
  readonly targetEnvironment: string;
  /** Every key ever created stays valid: whether MTN revokes older keys is unknown. */
  readonly apiKeys: Set<string>;
  readonly createdAt: string;
}

/**
 * MTN wants a bare host name; people still register `host:port` or a URL. Callback URLs are
 * checked by host name only, so the port (and any scheme or path) is dropped here.
 */
export function callbackHostname(host: string): string {
  const trimmed = host.trim().toLowerCase();
  try {
    if (trimmed.includes('://')) return new URL(trimmed).hostname;
    return new URL(`http://${trimmed}`).hostname;
  } catch {
    return trimmed;
  }
}

export function newApiKey(): string {
  return randomBytes(16).toString('hex');
}

export class ApiUserStore {
  private readonly users = new Map<string, ApiUser>();

  get(id: string): ApiUser | undefined {
    return this.users.get(id);
  }

  /** undefined when the id is taken. */
  create(id: string, providerCallbackHost: string, targetEnvironment: string): ApiUser | undefined {
    if (this.users.has(id)) return undefined;
    const user: ApiUser = {
      id,
      providerCallbackHost,
      callbackHostname: callbackHostname(providerCallbackHost),
      targetEnvironment,
      apiKeys: new Set(),
      createdAt: new Date().toISOString(),
    };
    this.users.set(id, user);
    return user;
  }

  list(): ApiUser[] {
    return [...this.users.values()];
  }

  clear(): void {
    this.users.clear();
  }
}
