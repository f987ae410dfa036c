/**
 * What the process saw of promise rejections: `unhandled <ErrorClass>` for each `unhandledRejection` and
 * `handled` for each `rejectionHandled`, in order. While installed, these listeners are the only ones (mocha's
 * own re-emits every event, which would count each one twice); `restore()` puts the others back.
 */
export class RejectionLog {
  readonly events: string[] = [];
  private saved: Array<[string, Function[]]> = [];
  private readonly onUnhandled = (reason: unknown) => this.events.push(`unhandled ${(reason as Error)?.constructor?.name}`);
  private readonly onHandled = () => this.events.push('handled');

  install(): this {
    this.saved.push(['unhandledRejection', process.listeners('unhandledRejection')]);
    this.saved.push(['rejectionHandled', process.listeners('rejectionHandled')]);
    process.removeAllListeners('unhandledRejection');
    process.removeAllListeners('rejectionHandled');
    process.on('unhandledRejection', this.onUnhandled);
    process.on('rejectionHandled', this.onHandled);
    return this;
  }

  restore(): void {
    process.off('unhandledRejection', this.onUnhandled);
    process.off('rejectionHandled', this.onHandled);
    for (const [name, listeners] of this.saved) for (const listener of listeners) process.on(name, listener as (...args: unknown[]) => void);
    this.saved = [];
  }
}

/** A few turns of the event loop: enough for a stray rejection event or a second span to show up. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

/**
 * The rejection events while `scenario` runs: with `instrumentation` on (`traced`), or disabled (the SDK as it
 * is, the reference). `scenario` gets the log, to wait for what it expects.
 */
export async function rejectionsOf(
  instrumentation: { enable(): void; disable(): void },
  traced: boolean,
  scenario: (log: RejectionLog) => Promise<void>,
): Promise<string[]> {
  const log = new RejectionLog().install();
  if (!traced) instrumentation.disable();
  try {
    await scenario(log);
    await settle();
    return [...log.events];
  } finally {
    if (!traced) instrumentation.enable();
    log.restore();
  }
}
