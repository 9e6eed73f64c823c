import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A tiny change notifier for plain state objects shared through context. */
export class Observable {
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/**
 * Re-renders its host whenever an observable it watches changes, or, given
 * `concerns`, only when that says the change concerns the host (a comment in
 * a thread of a thousand need not re-render for another one arriving).
 */
export class ObserveController implements ReactiveController {
  private unsubscribe?: () => void;
  private target?: Observable;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly concerns: () => boolean = () => true,
  ) {
    host.addController(this);
  }

  /** Watch this observable (or none); safe to call on every update. */
  observe(target: Observable | undefined): void {
    if (target === this.target) return;
    this.unsubscribe?.();
    this.target = target;
    this.unsubscribe = target?.subscribe(() => {
      if (this.concerns()) this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.target = undefined;
  }

  hostConnected(): void {
    const target = this.target;
    this.target = undefined;
    this.observe(target);
  }
}
