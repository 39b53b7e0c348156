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
    const refused = bodyParserRefusal(error);
    const appError = refused ?? toAppError(error);
    if (refused) {
      // The client sent what we cannot read: its fault, no stack (it would only show body-parser's).
      log.warn(
        { requestId, path: req.path, type: (error as HttpClientError).type ?? (error as Error).name, status: appError.status },
        'unreadable request refused',
      );
    } else if (appError.code === 'internal') {
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
  if (isStorageFull(error)) return new AppError('unavailable', 'We cannot store anything right now. Try again later.');
  return new AppError('internal', 'Something went wrong on our side. It has been logged.');
}

/** What body-parser (via http-errors) throws: a client status, `expose`, and a `type` when it knows one. */
interface HttpClientError {
  status: number;
  expose: boolean;
  type?: string;
}

/**
 * Body-parser's refusals (https://github.com/expressjs/body-parser#errors): an unsupported charset
 * or content encoding is 415, a body that does not decompress or parse is 400, a too large one 413.
 * Anything else with a 4xx status from http-errors (or the router's URIError for a path parameter
 * that is not valid percent-encoding) is the client's fault too and becomes 400.
 */
function bodyParserRefusal(error: unknown): AppError | undefined {
  if (error instanceof AppError || typeof error !== 'object' || error === null) return undefined;
  const { status, expose, type } = error as Partial<HttpClientError>;
  if (typeof status !== 'number' || status < 400 || status > 499 || (expose !== true && !(error instanceof URIError))) return undefined;
  if (type === 'charset.unsupported') return new AppError('unsupported_media_type', 'The charset is not supported; send UTF-8.');
  if (type === 'encoding.unsupported')
    return new AppError('unsupported_media_type', 'The content encoding is not supported; send identity, gzip, deflate or br.');
  if (type === 'entity.too.large' || status === 413) return new AppError('payload_too_large', 'The body is too large.');
  if (type === 'entity.parse.failed') return new AppError('invalid_request', 'The body is not valid JSON.');
  return new AppError('invalid_request', 'The request could not be read.');
}

export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}.`));
}
