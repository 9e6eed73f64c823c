import type Database from 'better-sqlite3';

interface Queued<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

type Outcome<O> = { ok: true; output: O } | { ok: false; error: unknown };

/** What a group waits on: the log's sync (see WalSync). */
export interface CommitLog {
  /** Resolves when nothing runs on the log (a sync, a checkpoint) that the next group should wait for. */
  idle(): Promise<void>;
  /** Resolves once everything committed before the call is on disk. */
  durable(): Promise<void>;
}

/**
 * Group commit: new writes that arrive while the log is busy (being synced,
 * or checkpointed: see `CommitLog.idle`) wait, and are then committed together
 * in one transaction and made durable by one sync. A write's promise settles only once that sync is done, so a write
 * acknowledged to its client is on disk.
 *
 * A write is queued and its group committed in a `setImmediate` callback, so
 * a lone write waits for nothing but the rest of its turn; while a sync
 * runs, the writes that arrive in the meantime gather into the next group,
 * which costs them no time (they would wait for the next sync anyway) and
 * shares one `BEGIN … COMMIT` among them.
 *
 * Each write runs as `write(input)`, which must be a `db.transaction(...)`
 * function: nested in the group's transaction it becomes a savepoint, so a
 * write that throws is rolled back alone, its promise rejects with its own
 * error, and the others commit. If the group's commit or its sync fails,
 * none of its writes is acknowledged: every promise rejects with that error.
 *
 * Writes are applied in the order they were submitted, and their promises
 * settle in that order, so results that carry a sequence (a page's `seq`)
 * settle in sequence order.
 */
export class GroupCommit<I, O> {
  private queue: Queued<I, O>[] = [];
  private scheduled = false;
  private readonly commitGroup: (group: Queued<I, O>[]) => Outcome<O>[];

  constructor(
    db: Database.Database,
    write: (input: I) => O,
    private readonly log: CommitLog,
    /** Most writes in one transaction, which bounds how long one commit holds the event loop. */
    private readonly maxGroup = 64,
  ) {
    this.commitGroup = db.transaction((group: Queued<I, O>[]) =>
      group.map((queued): Outcome<O> => {
        try {
          return { ok: true, output: write(queued.input) };
        } catch (error) {
          // A few errors (SQLITE_FULL, SQLITE_IOERR, …) make SQLite roll back the whole
          // transaction, not only the savepoint: then nothing of the group will be
          // committed, and the rest must not run outside a transaction.
          if (!db.inTransaction) throw error;
          return { ok: false, error };
        }
      }),
    );
  }

  /** Queues a write; resolves with its result once it is committed and on disk, or rejects. */
  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Commits everything queued, now (it becomes durable with the next sync).
   * The store calls it before any other write, so that a write decided after
   * a queued one (a ban after a comment's checks) is also committed after it.
   */
  flush(): void {
    while (this.queue.length) this.commitNext();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      void this.log.idle().then(() => {
        this.scheduled = false;
        this.commitNext();
        if (this.queue.length) this.schedule();
      });
    });
  }

  private commitNext(): void {
    const group = this.queue.splice(0, this.maxGroup);
    if (!group.length) return;
    let outcomes: Outcome<O>[];
    try {
      outcomes = this.commitGroup(group);
    } catch (error) {
      for (const queued of group) queued.reject(error);
      return;
    }
    const committed: [Queued<I, O>, O][] = [];
    group.forEach((queued, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) committed.push([queued, outcome.output]);
      else queued.reject(outcome.error);
    });
    if (!committed.length) return;
    this.log.durable().then(
      () => {
        for (const [queued, output] of committed) queued.resolve(output);
      },
      (error: unknown) => {
        for (const [queued] of committed) queued.reject(error);
      },
    );
  }
}
