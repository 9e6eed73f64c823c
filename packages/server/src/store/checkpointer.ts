import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

// Plain JavaScript, run with `eval`, so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
// Under NORMAL a checkpoint syncs the log before copying it and the database after.
db.pragma('synchronous = NORMAL');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String(error) });
  }
});
`;

/**
 * Copies the write-ahead log into the database from a worker thread, with a
 * connection of its own, so a checkpoint (a sync of the log, writes to the
 * database file, a sync of the database) never holds the event loop, as
 * SQLite's automatic checkpoint does in the connection that commits.
 *
 * The store turns automatic checkpoints off and calls `committed()` after
 * each commit; a checkpoint follows within `intervalMs` while writes go on.
 * New comments wait while one runs (see `idle()`), so it catches up with the
 * whole log and the next commit can start the log over; otherwise the log
 * would only grow while writes keep coming. If the worker fails, `onFailure`
 * is told (the store then goes back to automatic checkpoints).
 */
export class Checkpointer {
  private worker: Worker | null;
  private running: Promise<void> | null = null;
  private finishRun: (() => void) | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly exited: Promise<void>;

  constructor(
    file: string,
    private readonly onFailure: (error: unknown) => void,
    private readonly intervalMs = 200,
  ) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver: require.resolve('better-sqlite3') } });
    this.exited = new Promise((resolve) => this.worker!.once('exit', () => resolve()));
    this.worker.on('message', (result: { ok: boolean; error?: string }) => {
      this.finishRun?.();
      if (!result.ok) this.fail(new Error(`checkpoint failed: ${result.error}`));
    });
    this.worker.on('error', (error) => this.fail(error));
    // Not a reason for the process to stay up, unless a checkpoint is running (see start()).
    this.worker.unref();
  }

  /** Notes a commit: a checkpoint follows within `intervalMs`. */
  committed(): void {
    if (!this.worker || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Whether a checkpoint is running. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Resolves when no checkpoint is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Lets a running checkpoint finish, then closes the worker's connection and ends it. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.idle();
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    // Keep the process up until the worker has closed its connection: a CLI
    // command that closes the store has nothing else left to wait for.
    worker.ref();
    worker.postMessage('close');
    await this.exited;
  }

  private start(): void {
    if (!this.worker || this.running) return;
    const worker = this.worker;
    // Writes may be waiting for this checkpoint: until it answers, the process stays up.
    worker.ref();
    this.running = new Promise<void>((resolve) => {
      this.finishRun = () => {
        this.running = null;
        this.finishRun = null;
        worker.unref();
        resolve();
      };
    });
    worker.postMessage('checkpoint');
  }

  private fail(error: unknown): void {
    this.finishRun?.();
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    clearTimeout(this.timer);
    void worker.terminate();
    this.onFailure(error);
  }
}
