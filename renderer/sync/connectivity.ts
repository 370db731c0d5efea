/**
 * Whether the server can be reached. `navigator.onLine` only knows about the network card; what
 * matters is whether our server answers, so every API call and socket reports here, and while
 * unreachable a probe of /healthz runs with backoff (and at once when the browser says it is back
 * online).
 */
export type Reachability = 'online' | 'offline';

export interface ConnectivityOptions {
  readonly probe: () => Promise<boolean>;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

export class Connectivity {
  private current: Reachability;
  private readonly listeners = new Set<(state: Reachability) => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private stopped = false;

  constructor(private readonly options: ConnectivityOptions) {
    this.current = typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : 'online';
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onBrowserOnline);
      window.addEventListener('offline', this.onBrowserOffline);
    }
  }

  get state(): Reachability {
    return this.current;
  }

  onChange(listener: (state: Reachability) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  report(reachable: boolean): void {
    if (reachable) {
      this.attempt = 0;
      clearTimeout(this.timer);
      this.timer = undefined;
      this.set('online');
    } else {
      this.set('offline');
      this.scheduleProbe();
    }
  }

  /** Probe now (e.g. the user pressed "retry"). */
  probeNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.runProbe();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onBrowserOnline);
      window.removeEventListener('offline', this.onBrowserOffline);
    }
  }

  private readonly onBrowserOnline = (): void => this.probeNow();
  private readonly onBrowserOffline = (): void => this.report(false);

  private scheduleProbe(): void {
    if (this.stopped || this.timer !== undefined) return;
    const min = this.options.minDelayMs ?? 1_000;
    const max = this.options.maxDelayMs ?? 10_000;
    const delay = Math.min(max, min * 2 ** this.attempt);
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runProbe();
    }, delay);
  }

  private async runProbe(): Promise<void> {
    if (this.stopped) return;
    const ok = await this.options.probe();
    this.report(ok);
  }

  private set(state: Reachability): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}
