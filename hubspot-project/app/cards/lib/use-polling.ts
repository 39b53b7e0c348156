/**
 * Polling of a running job for the deal card, with back-off: each answer schedules the next read
 * after the next delay of the list (the last one repeats), so a job that retries for a long time
 * is read every 30 s instead of every 2 s. Nothing is scheduled once the job is no longer live, and
 * the next live phase starts again at the first delay.
 */
import { useEffect, useRef } from 'react';

/** 2 s, 4 s, 8 s, 15 s, then every 30 s while the job is queued, running or retrying. */
export const defaultPollDelaysMs: readonly number[] = [2_000, 4_000, 8_000, 15_000, 30_000];

/** `answer` changes with every answer of the read (a new screen object), which schedules the next poll. */
export function usePolling(answer: unknown, isLive: boolean, refresh: () => void, delaysMs: readonly number[] = defaultPollDelaysMs): void {
  const step = useRef(0);
  useEffect(() => {
    if (!isLive) {
      step.current = 0;
      return;
    }
    const delayMs = delaysMs[Math.min(step.current, delaysMs.length - 1)];
    step.current++;
    const timer = setTimeout(refresh, delayMs);
    return () => clearTimeout(timer);
  }, [answer, isLive, refresh, delaysMs]);
}

/**
 * Calls `onFinished` once each time a live phase ends (live → not live), not when the card opens on a
 * finished job. `undefined` (loading, or a failed read) is not an answer and changes nothing.
 */
export function useFinished(isLive: boolean | undefined, onFinished: () => void): void {
  const wasLive = useRef(false);
  useEffect(() => {
    if (isLive === undefined) return;
    if (isLive) {
      wasLive.current = true;
    } else if (wasLive.current) {
      wasLive.current = false;
      onFinished();
    }
  }, [isLive, onFinished]);
}
