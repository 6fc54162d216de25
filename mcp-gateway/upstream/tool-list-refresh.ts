/**
 * Re-reads an upstream's tool list when it says the list changed (`notifications/tools/list_changed`).
 * Notices are coalesced: the listing starts `delayMs` after the first notice, one runs at a time, and
 * notices that arrive while one runs queue exactly one more — so an upstream that floods the
 * notification costs one `tools/list` per interval, not one per notice.
 */
export class ListRefresher {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly refresh: () => Promise<void>,
    private readonly delayMs: number,
  ) {}

  /** A notice: the listing will be read again (once, whatever else arrives meanwhile). */
  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => void this.run(), this.delayMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    try {
      await this.refresh();
    } finally {
      this.running = false;
    }
    if (this.again) {
      this.again = false;
      this.request();
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
