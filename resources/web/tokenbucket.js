// The server's flood control as the client sees it: `rate` messages a second,
// refilling up to `burst` (shared/tokenbucket.h). The outbox paces itself with
// it so that the server never has to refuse a message. rate 0: no limit.
export class TokenBucket {
  constructor(rate, burst, now = () => performance.now()) {
    this.rate = Number.isFinite(rate) && rate >= 0 ? rate : 10;
    this.burst = Number.isSafeInteger(burst) && burst >= 1 ? burst : 20;
    this.now = now;
    this.tokens = this.burst;
    this.last = now();
  }

  refill() {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.rate) / 1000);
    this.last = t;
  }

  // Milliseconds until a token is there (0: now).
  msUntilAvailable() {
    if (this.rate === 0) return 0;
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.rate);
  }

  take() {
    if (this.rate === 0) return true;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  // The server said the bucket is empty.
  drain() {
    this.refill();
    this.tokens = 0;
  }
}
