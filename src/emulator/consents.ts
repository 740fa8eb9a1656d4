/** A CIBA consent request (bc-authorize) and what the account holder "did" with it. */
export interface Consent {
  readonly id: string;
  readonly apiUser: string;
  readonly product: string;
  readonly loginHint: string;
  readonly msisdn?: string;
  readonly scope: string;
  readonly accessType: 'online' | 'offline';
  readonly consentValidIn?: number;
  readonly createdAt: number;
  /** The CIBA error the token endpoint answers instead of a token, from the consent numbers. */
  readonly tokenError?: 'access_denied' | 'authorization_pending' | 'expired_token';
  refreshToken?: string;
}

export class ConsentStore {
  private readonly byId = new Map<string, Consent>();
  private readonly byRefreshToken = new Map<string, Consent>();

  add(consent: Consent): void {
    this.byId.set(consent.id, consent);
  }

  get(id: string): Consent | undefined {
    return this.byId.get(id);
  }

  setRefreshToken(consent: Consent, token: string): void {
    if (consent.refreshToken) this.byRefreshToken.delete(consent.refreshToken);
    consent.refreshToken = token;
    this.byRefreshToken.set(token, consent);
  }

  byRefresh(token: string): Consent | undefined {
    return this.byRefreshToken.get(token);
  }

  clear(): void {
    this.byId.clear();
    this.byRefreshToken.clear();
  }
}
