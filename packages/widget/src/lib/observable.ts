import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ContextConsumer, type Context } from '@lit/context';

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

/**
 * An {@link Observable} taken from context and watched: the host re-renders
 * when its provider hands over another one and whenever the one it has
 * changes. Does what `@consume({ subscribe: true })` with `@state()` and an
 * {@link ObserveController} do together, in one controller and without
 * decorators, which keeps the first-paint bundle small.
 */
export class ObservedContext<T extends Observable> {
  /** The provided state; undefined until a provider answers. */
  value?: T;

  /** `concerns`, as for {@link ObserveController}: whether a change of the state concerns the host. */
  constructor(host: ReactiveControllerHost & HTMLElement, context: Context<unknown, T>, concerns?: () => boolean) {
    const watch = new ObserveController(host, concerns);
    new ContextConsumer(host, {
      context,
      subscribe: true,
      callback: (value) => {
        this.value = value;
        watch.observe(value);
        host.requestUpdate();
      },
    });
  }
}
