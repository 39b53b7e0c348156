/**
 * HubSpot's error bodies (spec `Error` schema: `status`, `message`, `correlationId`, `category`, …) and the
 * one express error handler of the sandbox. Handlers throw `HubspotApiError`; the handler writes the body.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export interface HubspotErrorBody {
  status: string;
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: Array<{ message: string; in?: string; code?: string; context?: Record<string, string[]> }>;
  links?: Record<string, string>;
  /** RFC 6749 fields HubSpot added to OAuth errors (hubspot.md §4, "standardized error responses" changelog). */
  error?: string;
  error_description?: string;
  /** 429 only (§6.5). */
  errorType?: string;
  policyName?: string;
}

export class HubspotApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly category: string,
    message: string,
    readonly extra: Partial<HubspotErrorBody> = {},
  ) {
    super(message);
  }

  toBody(): HubspotErrorBody {
    return { status: 'error', message: this.message, correlationId: randomUUID(), category: this.category, ...this.extra };
  }
}

export const validationError = (message: string, extra?: Partial<HubspotErrorBody>) => new HubspotApiError(400, 'VALIDATION_ERROR', message, extra);

export const notFound = (message = 'resource not found') => new HubspotApiError(404, 'OBJECT_NOT_FOUND', message);

export const conflict = (message: string) => new HubspotApiError(409, 'OBJECT_ALREADY_EXISTS', message);

export function sendError(res: Response, error: HubspotApiError): void {
  res.status(error.httpStatus).json(error.toBody());
}

/** 429 as HubSpot sends it (§6.5): `errorType: RATE_LIMIT` and the window's `policyName`; `category` keeps the spec's Error schema happy. */
export function rateLimitError(policyName: string, retryAfterMs: number): HubspotApiError {
  return new HubspotApiError(429, 'RATE_LIMITS', `You have reached your ${policyName.toLowerCase()} limit.`, {
    errorType: 'RATE_LIMIT',
    policyName,
    context: { retryAfterMs: [String(retryAfterMs)] },
  });
}

export function errorHandler(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  if (error instanceof HubspotApiError) return sendError(res, error);
  if (error && typeof error === 'object' && 'type' in error && (error as { type: string }).type === 'entity.parse.failed') {
    return sendError(res, validationError('Invalid input JSON on line 1: the request body could not be parsed'));
  }
  sendError(res, new HubspotApiError(500, 'INTERNAL_ERROR', 'internal error'));
}
