import { ApiError } from '../api/api-client.js';

export interface LoadableOptions<T> {
  fetch(signal: AbortSignal): Promise<T>;
  /** Called after every change a reader could see. */
  onChange(): void;
  /** Called with every failure before it is shown (to expire a session, say). */
  onError(error: ApiError): void;
}

/**
 * One value read from the server, that can be read again in place: while a
 * value is shown, reading again keeps it until the new one arrives.
 */
export class Loadable<T> {
  status: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  value: T | null = null;
  error: ApiError | null = null;
  /** The server changed since this value was read. */
  stale = true;

  private controller?: AbortController;

  constructor(private readonly options: LoadableOptions<T>) {}

  async load(): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    if (this.value === null) {
      this.status = 'loading';
      this.error = null;
      this.options.onChange();
    }
    try {
      const value = await this.options.fetch(controller.signal);
      if (controller.signal.aborted) return;
      this.set(value);
    } catch (error) {
      if (controller.signal.aborted || (error as Error | null)?.name === 'AbortError') return;
      this.error = error instanceof ApiError ? error : new ApiError('internal_error', { message: (error as Error).message });
      if (this.value === null) this.status = 'error';
      this.options.onError(this.error);
      this.options.onChange();
    }
  }

  /** Takes a value known to be current (the answer to a change the reader made). */
  set(value: T): void {
    this.controller?.abort();
    this.value = value;
    this.status = 'ready';
    this.error = null;
    this.stale = false;
    this.options.onChange();
  }

  abort(): void {
    this.controller?.abort();
  }
}
