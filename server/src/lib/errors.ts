/**
 * The failures every layer may throw and the worker understands, in a leaf module (no imports) so that
 * adapters (hubspot/, accounting/) and domains (invoicing/, sync/) never import jobs/ to throw one.
 */

/**
 * A failure with a user-facing code. `retryable: false` sends the job straight to `dead`;
 * `retryAfterMs` overrides the backoff (a vendor's Retry-After wins).
 */
export class JobError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly options: { retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'JobError';
  }
}

/**
 * Not a failure: the job cannot make progress yet (e.g. the portal needs re-authorisation). It is
 * rescheduled after `delayMs` without using up an attempt.
 */
export class JobWaitError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'JobWaitError';
  }
}

/** What went wrong at an outside service, the same words for HubSpot and every accounting vendor. */
export type UpstreamErrorKind = 'auth' | 'forbidden' | 'validation' | 'not_found' | 'conflict' | 'rate_limited' | 'unavailable' | 'unexpected';

export interface UpstreamErrorDetail {
  /** HTTP status; absent (or 0 for HubSpot) when no answer arrived. */
  status?: number;
  /** The service's own error code, where it sends one. */
  vendorCode?: string;
  /** The wait the service asked for (Retry-After, RateLimit-Reset). */
  retryAfterMs?: number;
}

/**
 * One shape for a failure of an outside service (HubSpot's `HubspotError`, a vendor's `ProviderError`):
 * a kind, the detail, and whether trying again can help. `unavailable` covers 5xx, timeouts and dropped
 * connections: the service may or may not have done the work.
 */
export abstract class UpstreamError<D extends UpstreamErrorDetail = UpstreamErrorDetail> extends Error {
  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    readonly detail: D,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The code a job records when it fails with this error (shown in the activity log). */
  abstract get code(): string;

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable';
  }
}

/** The kind of an HTTP status, for services that classify by status alone (HubSpot). */
export function kindOfStatus(status: number): UpstreamErrorKind {
  if (status === 0 || status >= 500) return 'unavailable';
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 422) return 'validation';
  return 'unexpected';
}
