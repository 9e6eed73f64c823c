import fs from 'node:fs';

type Sync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => void;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Makes committed transactions durable without blocking the event loop.
 *
 * The store runs SQLite with `synchronous = NORMAL`: a commit is written to
 * the write-ahead log but not synced, so a power loss could take it. Before a
 * write is acknowledged the store waits for `durable()`, which resolves once an
 * `fdatasync` of the log that started after the call has returned. fsync is
 * per file, not per descriptor, so that sync covers every frame SQLite wrote
 * before it: the acknowledged write is on disk, as with `synchronous = FULL`,
 * but the wait happens on libuv's thread pool, and every commit made while
 * one sync runs shares the next one (group commit).
 *
 * With `NORMAL` SQLite still syncs the log before a checkpoint copies it into
 * the database, and the database after, so a crash at any moment leaves a
 * consistent database; this class only adds the sync an acknowledgement needs.
 *
 * A failed sync poisons the log: after `fsync` fails, Linux may have dropped
 * the dirty pages, so a later sync that succeeds proves nothing about them.
 * Every later `durable()` rejects with the first error.
 */
export class WalSync {
  private fd: number | null = null;
  private running: Promise<void> | null = null;
  private next: Waiter[] = [];
  private failure: unknown = null;

  constructor(
    /** The database's `-wal` file; null for a database with no log (`:memory:`). */
    private readonly walPath: string | null,
    private readonly sync: Sync = fs.fdatasync,
  ) {}

  /** Resolves once everything committed before the call is on disk. */
  durable(): Promise<void> {
    if (this.walPath === null) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.next.push({ resolve, reject });
      // A sync already running may have started before this commit: wait for the next one.
      if (!this.running) this.start();
    });
  }

  /** Whether a sync is running. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Resolves when no sync is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  /** Waits for the syncs asked for so far, then closes the log's descriptor. */
  async close(): Promise<void> {
    await this.idle();
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private start(): void {
    const waiters = this.next;
    this.next = [];
    this.running = new Promise<void>((resolve, reject) => {
      try {
        // Opened on first use: SQLite creates the log with the first write.
        this.fd ??= fs.openSync(this.walPath!, 'r');
      } catch (error) {
        reject(error);
        return;
      }
      this.sync(this.fd, (error) => (error ? reject(error) : resolve()));
    });
    this.running.then(
      () => {
        for (const waiter of waiters) waiter.resolve();
        this.finish();
      },
      (error: unknown) => {
        this.failure ??= error;
        for (const waiter of [...waiters, ...this.next.splice(0)]) waiter.reject(this.failure);
        this.finish();
      },
    );
  }

  private finish(): void {
    this.running = null;
    if (this.next.length) this.start();
  }
}
