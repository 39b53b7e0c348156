/** Qonto's JSON:API error bodies (accounting.md §4.2), as the emulator writes them. */
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import type { z } from 'zod';

export interface QontoErrorEntry {
  code: string;
  detail: string;
  source?: { pointer?: string; parameter?: string };
}

export function sendQontoErrors(res: Response, status: number, errors: QontoErrorEntry[]): void {
  const traceId = randomBytes(16).toString('hex');
  // trace_id matches the X-Tyk-Trace-Id header (QD get-started/general/errors).
  res.status(status).set('x-tyk-trace-id', traceId).json({ errors, trace_id: traceId });
}

export function sendQontoError(res: Response, status: number, code: string, detail: string, source?: QontoErrorEntry['source']): void {
  sendQontoErrors(res, status, [{ code, detail, ...(source ? { source } : {}) }]);
}

/**
 * A failed body validation: 422 with one entry per problem, `source.pointer` naming the field. The docs
 * name one code (`not_in_list`, QD get-started/general/errors); the others follow the same snake_case style.
 */
export function sendValidationErrors(res: Response, error: z.ZodError): void {
  sendQontoErrors(
    res,
    422,
    error.issues.map((issue) => ({
      code: errorCode(issue),
      detail: `${issue.path.join('.') || 'body'} ${issue.message}`,
      source: { pointer: `/${issue.path.join('/')}` },
    })),
  );
}

function errorCode(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'blank';
  if (issue.code === 'custom' && issue.message.startsWith("can't be blank")) return 'blank';
  if (issue.code === 'unrecognized_keys') return 'unknown_attribute';
  if (issue.code === 'invalid_value') return 'not_in_list';
  if (issue.code === 'too_big' && issue.origin === 'string') return 'too_long';
  return 'invalid';
}

export const notFound = (res: Response, what: string) => sendQontoError(res, 404, 'not_found', `${what} not found`);
