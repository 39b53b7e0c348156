import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { rateLimit } from './rate-limit';

function call(limiter: ReturnType<typeof rateLimit>, ip: string): 'passed' | number {
  let outcome: 'passed' | number = 'passed';
  const headers: Record<string, string> = {};
  const next: NextFunction = (error?: unknown) => {
    if (error instanceof AppError) outcome = error.status;
  };
  limiter({ ip } as Request, { setHeader: (k: string, v: string) => (headers[k] = v) } as unknown as Response, next);
  return outcome;
}

describe('rateLimit', () => {
  it('counts each client in its window and starts again in the next', () => {
    let now = 0;
    const limiter = rateLimit({ perClient: 2, windowMs: 1_000, message: 'Zu viele Versuche.', now: () => now });
    expect([call(limiter, 'a'), call(limiter, 'a'), call(limiter, 'a'), call(limiter, 'b')]).toEqual(['passed', 'passed', 429, 'passed']);
    now = 1_000;
    expect(call(limiter, 'a')).toBe('passed');
  });

  it('keeps memory bounded: clients beyond maxClients share one count', () => {
    const limiter = rateLimit({ perClient: 2, windowMs: 1_000, maxClients: 2, message: 'Zu viele Versuche.', now: () => 0 });
    expect([call(limiter, 'a'), call(limiter, 'b')]).toEqual(['passed', 'passed']);
    expect([call(limiter, 'c'), call(limiter, 'd'), call(limiter, 'e')]).toEqual(['passed', 'passed', 429]);
    expect(call(limiter, 'a')).toBe('passed');
  });
});
