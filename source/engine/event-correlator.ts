/** How an event is keyed after correlation, and the message it is written with. */
export interface Correlated {
  /** Events with the same key are one Event object: a repeat bumps its count. */
  key: string;
  reason: string;
  message: string;
}

/** Upstream's defaults (client-go tools/record): 10 similar events within 10 minutes. */
const MAX_SIMILAR = 10;
const WINDOW_MS = 10 * 60_000;
const CACHE_SIZE = 4096;

/**
 * client-go's EventAggregator: events of one object, source, type and reason that differ only in
 * their message are "similar". Up to 9 are written as they are; from the 10th distinct message
 * within the window, they go into one Event whose message is the latest, prefixed
 * "(combined from similar events): ", and whose count grows. (A ReplicaSet creating 1,000 pods
 * writes 10 Events, not 1,000.)
 */
export class EventCorrelator {
  private similar = new Map<string, { messages: string[]; last: number }>();

  /**
   * `group`: the object, type, reason and source of the event, without its message. Keys live in
   * these maps for minutes: `group` should be flat (Array#join), not a tree of concatenations.
   */
  correlate(group: string, reason: string, message: string, now: number): Correlated {
    let rec = this.similar.get(group);
    if (rec) {
      // Most recently used last, so the oldest group goes first when the cache is full.
      this.similar.delete(group);
      if (now - rec.last > WINDOW_MS) rec = undefined;
    }
    rec ??= { messages: [], last: now };
    this.similar.set(group, rec);
    if (this.similar.size > CACHE_SIZE) this.similar.delete(this.similar.keys().next().value!);
    rec.last = now;
    const messages = rec.messages;
    if (messages.length < MAX_SIMILAR && !messages.includes(message)) messages.push(message);
    if (messages.length < MAX_SIMILAR) return { key: [group, message].join('\u0000'), reason, message };
    return { key: group, reason, message: `(combined from similar events): ${message}` };
  }
}
