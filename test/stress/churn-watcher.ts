import { ApiClient } from '../reliability/support/client.ts';

/**
 * A client-side mirror of one collection, as an informer keeps it: LIST, then WATCH from the
 * list's resourceVersion, resuming from the last one seen whenever the stream ends. Records every
 * (name, resourceVersion) it was told about and every uid it saw deleted.
 */
export class Mirror {
  readonly state = new Map<string, { uid: string; rv: string }>();
  readonly seen = new Set<string>();
  readonly deleted = new Set<string>();
  readonly problems: string[] = [];
  events = 0;
  resumes = 0;
  private rv = '';
  private stopped = false;
  private close = () => {};
  private client: ApiClient;

  constructor(
    url: string,
    token: string,
    ca: string,
    readonly path: string,
  ) {
    this.client = new ApiClient(url, token, ca, 2);
  }

  async start(): Promise<void> {
    const list = await this.client.json('GET', this.path);
    if (list.status !== 200) throw new Error(`LIST ${this.path}: HTTP ${list.status}`);
    for (const o of list.body.items)
      this.state.set(o.metadata.name, { uid: o.metadata.uid, rv: o.metadata.resourceVersion });
    this.rv = list.body.metadata.resourceVersion;
    void this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const sep = this.path.includes('?') ? '&' : '?';
      const s = this.client.stream(
        `${this.path}${sep}watch=true&allowWatchBookmarks=true&resourceVersion=${this.rv}`,
        (line) => this.onLine(line),
      );
      this.close = s.close;
      const status = await s.status.catch(() => 0);
      if (status !== 200 && !this.stopped) this.problems.push(`watch ${this.path}: HTTP ${status}`);
      await s.ended;
      if (this.stopped || this.problems.length) return;
      this.resumes++;
    }
  }

  private onLine(line: string): void {
    const ev = JSON.parse(line);
    const m = ev.object?.metadata;
    if (ev.type === 'ERROR') return void this.problems.push(`${this.path}: ${ev.object?.code} ${ev.object?.message}`);
    this.rv = m.resourceVersion;
    if (ev.type === 'BOOKMARK') return;
    this.events++;
    this.seen.add(`${m.name}@${m.resourceVersion}`);
    if (ev.type === 'DELETED') {
      this.state.delete(m.name);
      this.deleted.add(m.uid);
    } else this.state.set(m.name, { uid: m.uid, rv: m.resourceVersion });
  }

  /** Differences between the mirror and a fresh LIST (empty: it holds exactly what the server has). */
  async compare(): Promise<string[]> {
    const list = await this.client.json('GET', this.path);
    const out: string[] = [];
    const server = new Map<string, any>(list.body.items.map((o: any) => [o.metadata.name, o.metadata]));
    for (const [name, m] of server) {
      const mine = this.state.get(name);
      if (!mine) out.push(`${this.path}: missing ${name}`);
      else if (mine.uid !== m.uid || mine.rv !== m.resourceVersion)
        out.push(`${this.path}: ${name} at rv ${mine.rv}, server has ${m.resourceVersion}`);
    }
    for (const name of this.state.keys()) if (!server.has(name)) out.push(`${this.path}: still holds deleted ${name}`);
    return out;
  }

  stop(): void {
    this.stopped = true;
    this.close();
    this.client.close();
  }
}
