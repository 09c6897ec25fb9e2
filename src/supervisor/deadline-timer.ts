// One timer armed at an absolute deadline (ms since the epoch), re-armed only
// when the deadline changes. The pure machines (process lifecycle, health
// checks) say *when* their next time-based step is due; their runners hold
// one of these and feed the machine an event when it fires.
export class DeadlineTimer {
  private timer: NodeJS.Timeout | undefined;
  private armedAt: number | null = null;

  // Arms for `at` (null: disarms); `fire` runs once at the deadline.
  arm(at: number | null, fire: () => void): void {
    if (at === this.armedAt) return;
    this.cancel();
    this.armedAt = at;
    if (at === null) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedAt = null;
      fire();
    }, Math.max(0, at - Date.now()));
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = null;
  }
}
