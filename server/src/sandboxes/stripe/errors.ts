/**
 * Stripe's error body, `{ "error": { type, code, message, param, doc_url, request_log_url } }`, and its
 * statuses: 400 bad request, 401 bad key, 402 request failed (card), 404 missing resource
 * (https://docs.stripe.com/api/errors, codes: https://docs.stripe.com/error-codes).
 */
import type { Response } from 'express';

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: 'invalid_request_error' | 'card_error' | 'api_error' | 'idempotency_error',
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

export function missingParam(param: string): StripeApiError {
  return new StripeApiError(400, 'invalid_request_error', `Missing required param: ${param}.`, 'parameter_missing', param);
}

export function invalidParam(param: string, message: string): StripeApiError {
  return new StripeApiError(400, 'invalid_request_error', message, 'parameter_invalid_string', param);
}

export function noSuch(kind: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, 'resource_missing', param);
}

export function sendStripeError(res: Response, error: StripeApiError): void {
  const requestId = String(res.getHeader('request-id') ?? '');
  const body: Record<string, unknown> = { message: error.message, type: error.type };
  if (error.code) {
    body.code = error.code;
    body.doc_url = `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, '-')}`;
  }
  if (error.param) body.param = error.param;
  body.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}?t=${Math.floor(Date.now() / 1000)}`;
  res.status(error.status).json({ error: body });
}
