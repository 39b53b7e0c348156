/**
 * The one place that calls `hubspot.fetch` (hubspot.md §2.4): JSON object bodies only, no custom
 * headers (the proxy rejects them), HubSpot signs the request and adds the portal and user.
 * Shared by the cards and the settings page through the npm workspace package @apiup/ui-shared
 * (hubspot-project/README.md, "Shared code", says why and how HubSpot builds it).
 */
import { hubspot } from '@hubspot/ui-extensions';
import { parse, type Guard } from './guards';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Request<T> {
  method: Method;
  path: string;
  guard: Guard<T>;
  body?: Record<string, unknown>;
  query?: Record<string, string | undefined>;
}

/** Default is 15 s; HubSpot allows up to 120 s (hubspot.md §2.4). Creating documents can take a while. */
const timeoutMs = 30_000;

export async function requestJson<T>(origin: string, request: Request<T>): Promise<T> {
  const url = new URL(request.path, origin);
  for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
  let response: Response;
  try {
    response = await hubspot.fetch(url.toString(), {
      method: request.method,
      timeout: timeoutMs,
      ...(request.body ? { body: request.body } : {}),
    });
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
  const body = await readBody(response);
  if (!response.ok) throw toApiError(response.status, body);
  try {
    return parse(request.guard, body);
  } catch (error) {
    throw new ApiError(response.status, 'unexpected_response', error instanceof Error ? error.message : String(error));
  }
}

/** HubSpot's own examples read `response.json()`; whether the worker's Response has `text()` is UNCONFIRMED. */
async function readBody(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return null;
  }
}

function readJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Our backend answers `{ error: { code, message } }`. HubSpot's proxy turns a 3xx–5xx answer into
 * its own BAD_GATEWAY error with our body in `responseBody` and the status in the message (seen in
 * the dev-server proxy, hubspot.md §2.4; production shape UNCONFIRMED), so both are unwrapped.
 */
export function toApiError(status: number, body: unknown): ApiError {
  const own = errorOf(body);
  if (own) return new ApiError(status, own.code, own.message);
  if (body && typeof body === 'object' && 'responseBody' in body) {
    const inner = errorOf(readJson(String((body as { responseBody: unknown }).responseBody)));
    const message = 'message' in body ? String((body as { message: unknown }).message) : '';
    const innerStatus = Number(/status (\d{3})/i.exec(message)?.[1] ?? status);
    if (inner) return new ApiError(innerStatus, inner.code, inner.message);
  }
  return new ApiError(status, 'http_error', `HTTP ${status}`);
}

function errorOf(body: unknown): { code: string; message: string } | undefined {
  if (!body || typeof body !== 'object' || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (!error || typeof error !== 'object') return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? { code, message: typeof message === 'string' ? message : code } : undefined;
}
