/**
 * Runs jobs from the queue: up to `concurrency` at once, leases kept alive by a heartbeat, failures
 * classified into retry / dead / wait. `stop()` stops claiming and lets running jobs finish.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import type { JobErrorInfo } from '../db/schema';
import { UpstreamError } from '../lib/errors';
import { JobError, JobWaitError, type JobContext, type JobDefinition, type AnyJobDefinition } from './define';
import type { JobRecord, QueueClock, DbJobQueue } from './queue';

export interface WorkerOptions {
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  log: Logger;
  clock?: QueueClock;
  /** Optional hook for metrics. */
  onSettled?: (job: JobRecord, outcome: 'succeeded' | 'retrying' | 'dead' | 'waiting') => void;
}

/** Take-overs after a dead process before a job is considered the cause. */
export const maxLeaseLosses = 25;

export class Worker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private readonly definitions = new Map<string, AnyJobDefinition>();
  private readonly running = new Set<Promise<void>>();
  private readonly lastServed = new Map<string, number>();
  private serveCounter = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private wake: (() => void) | undefined;
  private looping: Promise<void> = Promise.resolve();

  constructor(
    private readonly queue: DbJobQueue,
    definitions: AnyJobDefinition[],
    private readonly options: WorkerOptions,
  ) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: AnyJobDefinition): void {
    this.definitions.set(definition.name, definition);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.looping = this.loop();
  }

  /** Stops claiming; resolves when running jobs have finished (or `timeoutMs` passed). */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (this.timer) clearTimeout(this.timer);
    // A claim already on its way to the database may still hand the loop a job: wait for the loop to
    // end, so that job is among the running ones waited for below (and never runs on a closed database).
    const deadline = new Promise((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([this.looping, deadline]);
    const all = Promise.allSettled([...this.running]);
    await Promise.race([all, deadline]);
  }

  /** Nudges an idle worker to look for work now (after an enqueue in this process). */
  poke(): void {
    this.wake?.();
  }

  /** Claiming jobs: started and not stopped (a stopping process reports false). */
  get isRunning(): boolean {
    return !this.stopped;
  }

  get activeCount(): number {
    return this.running.size;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let claimedAny = false;
      while (!this.stopped && this.running.size < this.options.concurrency) {
        const job = await this.claimNext();
        if (!job) break;
        claimedAny = true;
        this.lastServed.set(job.portalId, ++this.serveCounter);
        const run = this.execute(job).finally(() => {
          this.running.delete(run);
          this.wake?.();
        });
        this.running.add(run);
      }
      if (this.stopped) break;
      if (!claimedAny || this.running.size >= this.options.concurrency) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, this.options.pollMs);
        });
        this.wake = undefined;
      }
    }
  }

  /** The next job, or none when the database cannot be reached now (logged; the loop tries again after `pollMs`). */
  private async claimNext(): Promise<JobRecord | undefined> {
    try {
      return await this.queue.claim(this.id, this.options.leaseMs, this.lastServed);
    } catch (error) {
      this.options.log.error({ err: error }, 'claiming a job failed');
      return undefined;
    }
  }

  private async execute(job: JobRecord): Promise<void> {
    const log = this.options.log.child({ jobId: job.id, job: job.name, portalId: job.portalId || undefined });
    const definition = this.definitions.get(job.name);
    if (!definition) {
      await this.queue.fail(job, this.id, this.errorInfo('unknown_job', `no handler for ${job.name}`, false));
      return;
    }
    // A job whose process keeps dying under it is probably what kills it (poison): give up at some point.
    if (job.leaseLosses > maxLeaseLosses) {
      const info = this.errorInfo('lease_expired', 'the job stopped its process too often', false);
      await this.queue.markDead(job, this.id, info);
      await this.notifyDead(definition, job, info, log);
      this.options.onSettled?.(job, 'dead');
      return;
    }
    const beat = () =>
      this.queue.heartbeat(job.id, this.id, this.options.leaseMs).catch((error: unknown) => log.warn({ err: error }, 'lease heartbeat failed'));
    const heartbeat = setInterval(() => void beat(), Math.max(50, this.options.leaseMs / 3));
    heartbeat.unref();
    try {
      const payload = definition.payload.parse(job.payload);
      await definition.run(payload, this.context(job, log));
      await this.queue.complete(job, this.id);
      this.options.onSettled?.(job, 'succeeded');
    } catch (error) {
      const dead = await this.settleFailure(job, error, log);
      if (dead) await this.notifyDead(definition, job, dead, log);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private context(job: JobRecord, log: Logger): JobContext {
    const steps: Record<string, { v: unknown }> = { ...(job.steps as Record<string, { v: unknown }>) };
    return {
      jobId: job.id,
      attempt: job.attempts,
      portalId: job.portalId,
      key: job.dedupeKey,
      log,
      step: async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
        if (name in steps) return steps[name].v as T;
        const value = await fn();
        await this.queue.saveStep(job.id, name, value);
        steps[name] = { v: value };
        return value;
      },
    };
  }

  /** Settles a failed run; returns the error info when the job is now dead. */
  private async settleFailure(job: JobRecord, error: unknown, log: Logger): Promise<JobErrorInfo | undefined> {
    if (error instanceof JobWaitError) {
      await this.queue.postpone(job, this.id, error.delayMs, this.errorInfo(error.code, error.message, true));
      log.info({ code: error.code, delayMs: error.delayMs }, 'job waiting');
      this.options.onSettled?.(job, 'waiting');
      return undefined;
    }
    const { info, retryAfterMs } = this.classify(error);
    const outcome = await this.queue.fail(job, this.id, info, retryAfterMs);
    log[outcome === 'dead' ? 'error' : 'warn'](
      { code: info.code, retryable: info.retryable, attempt: job.attempts, err: error },
      outcome === 'dead' ? 'job dead' : 'job will retry',
    );
    this.options.onSettled?.(job, outcome);
    return outcome === 'dead' ? info : undefined;
  }

  private async notifyDead(definition: JobDefinition<unknown>, job: JobRecord, info: JobErrorInfo, log: Logger): Promise<void> {
    if (!definition.onDead) return;
    const parsed = definition.payload.safeParse(job.payload);
    if (!parsed.success) return;
    await definition
      .onDead(parsed.data, { code: info.code, message: info.message }, log)
      .catch((error: unknown) => log.warn({ err: error }, 'dead-job notice failed'));
  }

  private classify(error: unknown): { info: JobErrorInfo; retryAfterMs?: number } {
    if (error instanceof JobError) {
      return { info: this.errorInfo(error.code, error.message, error.options.retryable), retryAfterMs: error.options.retryAfterMs };
    }
    if (error instanceof UpstreamError) {
      return { info: this.errorInfo(error.code, error.message, error.retryable), retryAfterMs: error.detail.retryAfterMs };
    }
    if (error instanceof ZodError) {
      return { info: this.errorInfo('invalid_payload', error.message, false) };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { info: this.errorInfo('unexpected', message, true) };
  }

  private errorInfo(code: string, message: string, retryable: boolean): JobErrorInfo {
    return { code, message, retryable, at: (this.options.clock ?? { now: Date.now }).now() };
  }
}
