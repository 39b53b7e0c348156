/**
 * The OAuth `state` of the install flow, stateless: `<expiresAt>.<nonce>.<hmac>` signed with a key
 * derived from our secret box key. `/oauth/install` therefore writes nothing, however often it is
 * called; only a completed install records its nonce (for single use) until the state expires.
 * HubSpot hands `state` back unchanged (https://developers.hubspot.com/docs/api/oauth-quickstart-guide).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const stateTtlMs = 10 * 60_000;

export interface VerifiedState {
  nonce: string;
  expiresAt: number;
}

export class OAuthStates {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): string {
    const body = `${this.now() + stateTtlMs}.${randomBytes(18).toString('base64url')}`;
    return `${body}.${this.sign(body)}`;
  }

  /** The state's nonce and expiry when we issued it and it has not expired; otherwise undefined. */
  verify(state: string): VerifiedState | undefined {
    const match = /^(\d{1,15})\.([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{43})$/.exec(state);
    if (!match) return undefined;
    const [, expires, nonce, signature] = match;
    const expected = Buffer.from(this.sign(`${expires}.${nonce}`));
    if (!timingSafeEqual(expected, Buffer.from(signature))) return undefined;
    const expiresAt = Number(expires);
    return expiresAt > this.now() ? { nonce, expiresAt } : undefined;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(`oauth-state:${body}`).digest('base64url');
  }
}
