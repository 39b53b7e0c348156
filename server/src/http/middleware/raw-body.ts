import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';

/** Requests keep their exact bytes: signatures are computed over the raw body (hubspot.md §3). */
export interface RawBodyRequest extends Request {
  rawBody?: Buffer;
}

export function keepRawBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as RawBodyRequest).rawBody = Buffer.from(buf);
}

export function rawBodyOf(req: Request): string {
  return (req as RawBodyRequest).rawBody?.toString('utf8') ?? '';
}
