import type { ProviderId } from './provider';

export type ProviderErrorKind =
  | 'auth'
  | 'forbidden'
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'unexpected';

export interface ProviderErrorDetail {
  provider: ProviderId;
  status?: number;
  vendorCode?: string;
  retryAfterMs?: number;
}

/**
 * A vendor failure, classified once per vendor (`classify` in `<vendor>/client.ts`).
 * `unavailable` covers 5xx, timeouts and dropped connections: the vendor may or may not have
 * done the work, so a non-idempotent call must be reconciled (e.g. `findDocumentByReference`).
 */
export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly detail: ProviderErrorDetail,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable';
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
