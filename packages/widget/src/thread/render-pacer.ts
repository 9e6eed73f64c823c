/**
 * Spreads the rendering of many comments over animation frames, so one page
 * of a busy thread (up to 100 top-level comments and 500 replies in one
 * response) never holds the main thread for long.
 *
 * Every list of comments (the thread's top-level ones, each comment's
 * replies) asks the pacer how many more of its items it may render. A task
 * may render `perTurn` comments in all; a list that got fewer than it wanted
 * renders those and waits. Each animation frame brings a fresh allowance,
 * shared out among the waiting lists in the order they asked, and only the
 * lists that got a share are called back to render, so a list is not
 * re-rendered for nothing while it waits. A thread smaller than the
 * allowance renders at once, as before.
 *
 * One pacer serves one thread: `<parley-thread>` creates it and hands it down
 * through each `<parley-comment>`'s `pacer` property.
 */
export class RenderPacer {
  private left = 0;
  private turnOpen = false;
  private frameRequested = false;
  /** Lists waiting for a share, by their callback, with how many items they still want; in the order they asked. */
  private readonly waiting = new Map<() => void, number>();
  /** Shares handed out at the last frame, not yet taken up. */
  private readonly granted = new Map<() => void, number>();

  /** @param perTurn - Comments one task may render. */
  constructor(readonly perTurn: number) {}

  /**
   * How many items of a list of `total` to render, `shown` being rendered so
   * far. When some must wait, `resume` is called on a later frame that has a
   * share for it; it should re-render the list, which asks again.
   */
  count(shown: number, total: number, resume: () => void): number {
    if (shown >= total) {
      this.waiting.delete(resume);
      return total;
    }
    let next = shown + Math.min(total - shown, this.granted.get(resume) ?? 0);
    this.granted.delete(resume);
    next += this.take(total - next);
    if (next < total) this.wait(resume, total - next);
    else this.waiting.delete(resume);
    return next;
  }

  private take(wanted: number): number {
    if (!this.turnOpen) this.openTurn();
    const granted = Math.min(wanted, this.left);
    this.left -= granted;
    return granted;
  }

  private wait(resume: () => void, wanted: number): void {
    this.waiting.set(resume, wanted);
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => this.shareOut());
  }

  private shareOut(): void {
    this.frameRequested = false;
    this.openTurn();
    // A share nobody took up (its list left the page) lapses.
    this.granted.clear();
    const called: (() => void)[] = [];
    for (const [resume, wanted] of this.waiting) {
      if (this.left === 0) break;
      const share = Math.min(wanted, this.left);
      this.left -= share;
      this.granted.set(resume, share);
      this.waiting.delete(resume);
      called.push(resume);
    }
    if (this.waiting.size) {
      this.frameRequested = true;
      requestAnimationFrame(() => this.shareOut());
    }
    for (const resume of called) resume();
  }

  private openTurn(): void {
    this.turnOpen = true;
    this.left = this.perTurn;
    // Lit renders in microtasks, so whatever renders until this task ends counts against this turn.
    setTimeout(() => (this.turnOpen = false), 0);
  }
}
