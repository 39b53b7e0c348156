/**
 * Stands in for our backend behind `hubspot.fetch`: answers recorded per "METHOD path" and keeps
 * every call (method, path, query, body) so tests can check what a click sent. Only
 * `hubspot.fetch` is stubbed; the components, hooks and renderer are the real ones.
 */
import { hubspot } from '@hubspot/ui-extensions';
import { vi } from 'vitest';

export interface Answer {
  status?: number;
  body: unknown;
}

export interface SentRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export function stubBackend(routes: Record<string, Answer | (() => Answer | Promise<Answer>)>) {
  const sent: SentRequest[] = [];
  const spy = vi.spyOn(hubspot, 'fetch').mockImplementation(async (input, options) => {
    const url = new URL(String(input));
    const method = options?.method ?? 'GET';
    sent.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: options?.body });
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return json(404, { error: { code: 'not_found', message: `No route for ${method} ${url.pathname}.` } });
    const answer = typeof route === 'function' ? await route() : route;
    return json(answer.status ?? 200, answer.body);
  });
  return { sent, spy, calls: (method: string, path: string) => sent.filter((r) => r.method === method && r.path === path) };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A promise the test resolves by hand, to order answers. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
