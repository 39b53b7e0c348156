/** Our own API errors: a code, one table maps each code to an HTTP status (STYLE.md "Errors"). */
export const statusByCode = {
  invalid_request: 400,
  unauthenticated: 401,
  plan_required: 402,
  forbidden: 403,
  /** APIUP is not installed in (or was disconnected from) the HubSpot account: the cards offer "connect". */
  hubspot_not_connected: 403,
  /** HubSpot refused our refresh token: the cards offer "re-authorise". */
  hubspot_needs_reauth: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  upstream_failed: 502,
  unavailable: 503,
  internal: 500,
} as const satisfies Record<string, number>;

export type AppErrorCode = keyof typeof statusByCode;

export interface ValidationIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly issues?: ValidationIssue[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  get status(): number {
    return statusByCode[this.code];
  }
}

/** Turns zod issues into our `issues` shape: `a.b.0: message`. */
export function toValidationIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): ValidationIssue[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
