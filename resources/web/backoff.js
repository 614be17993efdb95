// Reconnect policy: the same numbers as the desktop client's Backoff
// (shared/backoff.h): 0.5 s doubling to 30 s, each delay scaled by a random
// factor in [0.8, 1.2], reset once identified again.
export class Backoff {
  constructor({ initialMs = 500, maxMs = 30000, multiplier = 2, jitter = 0.2, random = Math.random, now = () => performance.now() } = {}) {
    Object.assign(this, { initialMs, maxMs, multiplier, jitter, random, now });
    this.attempt = 0;
    this.dueAt = -1;
  }

  baseDelay(attempt) {
    return Math.min(this.initialMs * this.multiplier ** attempt, this.maxMs);
  }

  nextDelay() {
    const base = this.baseDelay(this.attempt);
    const factor = 1 + this.jitter * (2 * this.random() - 1);
    const delay = Math.max(0, Math.min(Math.round(base * factor), this.maxMs));
    if (base < this.maxMs) this.attempt += 1;
    this.dueAt = this.now() + delay;
    return delay;
  }

  remainingMs() {
    return this.dueAt < 0 ? 0 : Math.max(0, this.dueAt - this.now());
  }

  reset() {
    this.attempt = 0;
    this.dueAt = -1;
  }
}
