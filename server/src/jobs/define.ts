import type { Logger } from 'pino';
import type { z } from 'zod';

/** What a running job sees. */
export interface JobContext {
  jobId: number;
  /** 1 on the first run. */
  attempt: number;
  portalId: string;
  /** The dedupe key, if the job has one. */
  key: string | null;
  log: Logger;
  /**
   * Runs `fn` once per job: its (JSON-serialisable) result is stored as soon as it resolves, and a
   * later attempt (after a crash or a retry) gets the stored result instead of running `fn` again.
   */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export interface JobDefinition<P = unknown> {
  /** `area.verb`, e.g. `invoice.create`. */
  name: string;
  /** Checked at enqueue and again at run. */
  payload: z.ZodType<P>;
  /** Dedupe key: at most one live job per key. Omit for jobs that may run side by side. */
  key?: (payload: P) => string;
  /** Tenant used for fairness and the activity log. */
  portalId: (payload: P) => string;
  /** Attempts before the job is dead; default 8. */
  maxAttempts?: number;
  run(payload: P, ctx: JobContext): Promise<void>;
  /**
   * Called once when the job is dead (attempts used up or an error that cannot be retried), so the
   * user sees the failure where they work (e.g. on the deal). Errors here are logged, never rethrown.
   */
  onDead?(payload: P, error: { code: string; message: string }, log: Logger): Promise<void>;
}

/**
 * A definition of any payload type, for lists of different jobs (the worker's registry, a module's jobs).
 * `unknown` would not do: a definition's handler takes its own payload, so it is contravariant in `P`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type AnyJobDefinition = JobDefinition<any>;

export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

// The errors a job throws live in a leaf module so that adapters and domains need not import jobs/.
export { JobError, JobWaitError } from '../lib/errors';
