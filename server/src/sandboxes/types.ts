/** What every emulator (HubSpot and each accounting vendor) exposes, so sandbox mode and tests start them alike. */
import type { Express } from 'express';
import type { Faults } from './faults';
import type { ExchangeRecorder } from './recorder';

export interface SandboxOptions {
  /** Overrides the vendor's documented rate limit (tests and benchmarks scale time down). */
  rateLimit?: { requests: number; perMs: number };
  /** Clock for timestamps and token expiry; default Date.now. */
  now?: () => number;
}

export interface Sandbox {
  /** 'hubspot' or a ProviderId. */
  readonly name: string;
  readonly app: Express;
  readonly faults: Faults;
  readonly recorder: ExchangeRecorder;
  /** Working credentials for this sandbox, shown by `GET /sandbox` (sandbox mode only). */
  readonly credentials: Record<string, string>;
}
