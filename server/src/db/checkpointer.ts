/**
 * WAL checkpoints of a SQLite file in a worker thread, on a connection of its own. A checkpoint copies
 * the WAL's pages into the database file and waits for the disk; done by the process's one connection
 * it stalls whatever commits at that moment (a webhook delivery, a job). Here a PASSIVE checkpoint runs
 * every `intervalMs` beside the event loop (it never blocks a writer), and the main connection's own
 * automatic checkpoint moves to a higher threshold, as the fallback should the thread fall behind or stop.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** Pages in the WAL before the main connection checkpoints itself (SQLite's default is 1,000). */
export const fallbackCheckpointPages = 10_000;

// CommonJS run by the worker: better-sqlite3 by its resolved path, so it loads the same module from any working directory.
const workerSource = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(main: Database.Database, path: string, intervalMs = 1_000, onError?: (message: string) => void): Checkpointer {
  main.pragma(`wal_autocheckpoint = ${fallbackCheckpointPages}`);
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerSource, { eval: true, workerData: { module, path, intervalMs } });
  worker.unref();
  worker.on('message', (message: string) => onError?.(message));
  // A thread that could not start (the file vanished): the main connection's fallback checkpoints.
  worker.on('error', (error) => onError?.(String(error)));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held while it closes its connection (an unreferenced thread would let the process end mid-wait).
      worker.ref();
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
