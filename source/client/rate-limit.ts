/**
 * A token bucket in front of every request, as client-go's QPS/Burst: bursts (opening many views,
 * describe's related lists) stay polite on a shared apiserver. k9s runs client-go at 50 QPS.
 */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly qps: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Resolves when a request may go out (in arrival order). */
  take(): Promise<void> {
    if (!(this.qps > 0)) return Promise.resolve();
    const turn = this.queue.then(() => this.wait());
    this.queue = turn;
    return turn;
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.qps) * 1000)));
    }
  }
}

/** `SKIFF_QPS` / `SKIFF_BURST` (0 turns the limit off); defaults as k9s. */
export function limiterFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimiter {
  const qps = env.SKIFF_QPS !== undefined ? Number(env.SKIFF_QPS) : 50;
  const burst = env.SKIFF_BURST !== undefined ? Number(env.SKIFF_BURST) : 100;
  return new RateLimiter(qps, Math.max(1, burst));
}
