/**
 * Spreads the rendering of many comments over animation frames, so one page
 * of a busy thread (up to 100 top-level comments and 500 replies in one
 * response) never holds the main thread for long.
 *
 * Every list of comments (the thread's top-level ones, each comment's
 * replies) asks the pacer how many more of its items it may render. A task
 * may render `perTurn` comments in all; a list that got fewer than it wanted
 * renders those and is called back on the next animation frame, with a fresh
 * allowance. A thread smaller than the allowance renders at once, as before.
 *
 * One pacer serves one thread: `<parley-thread>` creates it and hands it down
 * through each `<parley-comment>`'s `pacer` property.
 */
export class RenderPacer {
  private left = 0;
  private turnOpen = false;
  private frameRequested = false;
  private readonly waiting = new Set<() => void>();

  /** @param perTurn - Comments one task may render. */
  constructor(readonly perTurn: number) {}

  /**
   * How many items of a list of `total` to render, `shown` being rendered so
   * far. When some must wait, `resume` is called on the next frame (once,
   * however often it is asked for); it should re-render the list.
   */
  count(shown: number, total: number, resume: () => void): number {
    if (shown >= total) return total;
    const next = shown + this.take(total - shown);
    if (next < total) this.later(resume);
    return next;
  }

  private take(wanted: number): number {
    if (!this.turnOpen) this.openTurn();
    const granted = Math.min(wanted, this.left);
    this.left -= granted;
    return granted;
  }

  private later(resume: () => void): void {
    this.waiting.add(resume);
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.openTurn();
      const waiting = [...this.waiting];
      this.waiting.clear();
      for (const callback of waiting) callback();
    });
  }

  private openTurn(): void {
    this.turnOpen = true;
    this.left = this.perTurn;
    // Lit renders in microtasks, so whatever renders until this task ends counts against this turn.
    setTimeout(() => (this.turnOpen = false), 0);
  }
}
