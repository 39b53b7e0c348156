import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { AppError, toValidationIssues, type AppErrorCode } from '../../errors';
import { isStorageFull } from '../../storage-health';

export interface ErrorBody {
  error: { code: AppErrorCode; message: string; requestId?: string; issues?: Array<{ path: string; message: string }> };
}

/** The one error middleware: every failure leaves in the one error shape (STYLE.md "Errors"). */
export function errorMiddleware(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = String(res.locals.requestId ?? '');
    const appError = toAppError(error);
    if (appError.code === 'internal') {
      log.error({ err: error, requestId, path: req.path }, 'request failed');
    }
    const body: ErrorBody = { error: { code: appError.code, message: appError.message, requestId } };
    if (appError.issues?.length) body.error.issues = appError.issues;
    res.status(appError.status).json(body);
  };
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return new AppError('invalid_request', 'The request is not valid.', toValidationIssues(error.issues));
  const type = (error as { type?: string } | undefined)?.type;
  if (type === 'entity.parse.failed') return new AppError('invalid_request', 'The body is not valid JSON.');
  if (type === 'entity.too.large') return new AppError('payload_too_large', 'The body is too large.');
  if (isStorageFull(error)) return new AppError('unavailable', 'We cannot store anything right now. Try again later.');
  return new AppError('internal', 'Something went wrong on our side. It has been logged.');
}

export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}.`));
}
