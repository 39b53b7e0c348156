/**
 * The Lexware error bodies, one helper per family (accounting.md §1.3): gateway `{message}`,
 * "legacy" `{IssueList}` for contacts, and "regular" `{timestamp, status, error, …, details}` elsewhere.
 */
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { lexTimestamp } from './clock';
import type { FieldProblem } from './validation';

const reasons: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 406: 'Not Acceptable', 409: 'Conflict', 415: 'Unsupported Media Type' };

export function sendGateway(res: Response, status: number, message: string | null): void {
  res.status(status).json({ message });
}

export interface LegacyIssue {
  i18nKey: string;
  source: string | null;
  type: string;
}

export function sendLegacy(res: Response, status: number, issues: LegacyIssue[]): void {
  res.status(status).json({ IssueList: issues.map((i) => ({ ...i, additionalData: null, args: null })) });
}

/** Legacy 406 for contacts: `missing_entity` for an empty value, `invalid_value` otherwise (errors.json). */
export function sendLegacyValidation(res: Response, problems: FieldProblem[]): void {
  sendLegacy(
    res,
    406,
    problems.map((p) => ({ i18nKey: p.missing ? 'missing_entity' : 'invalid_value', source: p.field, type: 'validation_failure' })),
  );
}

export function sendRegular(res: Response, status: number, path: string, message: string, problems: FieldProblem[] = [], now = Date.now()): void {
  res.status(status).json({
    timestamp: lexTimestamp(now),
    status,
    error: reasons[status] ?? 'Error',
    path,
    traceId: randomBytes(6).toString('hex'),
    message,
    ...(problems.length > 0
      ? {
          details: problems.map((p) => ({
            violation: p.violation ?? (p.missing ? 'NOTNULL' : 'INVALID'),
            field: p.field,
            message: p.missing ? 'darf nicht leer sein' : p.message,
          })),
        }
      : {}),
  });
}

/** Contacts (and files, profile in docs2021) answer in the legacy family; everything else regular. */
export function isLegacyPath(path: string): boolean {
  return path.startsWith('/v1/contacts');
}

export function sendFamilyError(res: Response, status: number, path: string, message: string, now?: number): void {
  if (isLegacyPath(path)) {
    const i18nKey = status === 404 ? 'missing_entity' : status === 415 ? 'unsupported_media_type' : 'bad_request_error';
    sendLegacy(res, status, [{ i18nKey, source: null, type: status === 404 ? 'not_found' : 'bad_request_error' }]);
  } else {
    sendRegular(res, status, path, message, [], now);
  }
}
