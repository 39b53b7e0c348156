import { UpstreamError, type UpstreamErrorDetail, type UpstreamErrorKind } from '../lib/errors';
import type { ProviderId } from './provider';

export type ProviderErrorKind = UpstreamErrorKind;

export interface ProviderErrorDetail extends UpstreamErrorDetail {
  provider: ProviderId;
}

/**
 * A vendor failure, classified once per vendor (`classify` in `<vendor>/client.ts`).
 * `unavailable` covers 5xx, timeouts and dropped connections: the vendor may or may not have
 * done the work, so a non-idempotent call must be reconciled (e.g. `findDocumentByReference`).
 */
export class ProviderError extends UpstreamError<ProviderErrorDetail> {
  constructor(kind: ProviderErrorKind, message: string, detail: ProviderErrorDetail, options?: { cause?: unknown }) {
    super(kind, message, detail, options);
    this.name = 'ProviderError';
  }

  get code(): string {
    return `provider_${this.kind}`;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
