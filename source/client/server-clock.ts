/**
 * The API server's clock, estimated from `Date` headers, so ages are computed on the server's
 * timeline (a laptop a second behind would otherwise print `<invalid>` for new objects).
 *
 * `Date` has one-second resolution, so each response bounds the offset (server − local) to
 * [Date − received, Date + 1s − sent]. The bounds of all responses are intersected, which
 * converges and does not jitter; when they stop overlapping a clock jumped, and we start over.
 */
export class ServerClock {
  private low = -Infinity;
  private high = Infinity;

  observe(dateHeader: string | undefined, sentAt: number, receivedAt: number): void {
    if (!dateHeader) return;
    const server = Date.parse(dateHeader);
    if (Number.isNaN(server)) return;
    const low = server - receivedAt;
    const high = server + 1000 - sentAt;
    if (low > this.high || high < this.low) {
      this.low = low;
      this.high = high;
      return;
    }
    this.low = Math.max(this.low, low);
    this.high = Math.min(this.high, high);
  }

  /** Estimated server time minus local time, in ms (0 until a response was seen). */
  get offsetMs(): number {
    if (!Number.isFinite(this.low) || !Number.isFinite(this.high)) return 0;
    const mid = (this.low + this.high) / 2;
    // Within the header's resolution of our own clock: trust our own clock.
    return Math.abs(mid) < 500 ? 0 : Math.round(mid);
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }
}
