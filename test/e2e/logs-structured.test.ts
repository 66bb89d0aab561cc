import { describe, expect, it } from 'vitest';
import { filterBy, runCommand, useTuiSession } from '../helpers/tui-session.ts';
import { KEY, type Tui } from './pty.ts';

let tui: Tui;

const JSON_LINES = [
  '{"level":"info","ts":"2024-05-01T12:00:01Z","msg":"starting","port":80}',
  'plain text line',
  '{"level":"warn","ts":"2024-05-01T12:00:02Z","msg":"slow request","path":"/a","ms":900}',
  '{"level":"error","ts":"2024-05-01T12:00:03Z","msg":"db down","retry":3}',
  'line after error',
  'level=debug msg="cache miss" key=k1',
];

/** A busybox pod that prints `lines` with echo and stays up. */
function printer(name: string, lines: string[], labels: Record<string, string> = {}) {
  const script = lines.map((l) => `echo '${l}'`).join('; ') + '; sleep 3600';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }],
    },
  };
}

async function create(obj: object): Promise<void> {
  await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(obj) });
}

const t = useTuiSession({
  cols: 140,
  rows: 32,
  setup: async () => {
    await create(printer('json', JSON_LINES));
    await create(printer('w1', ['{"level":"info","msg":"hello from w1"}'], { app: 'web' }));
    await create(printer('w2', ['{"level":"error","msg":"hello from w2"}'], { app: 'web' }));
    await create(printer('db', ['{"msg":"hello from db"}'], { app: 'db' }));
    await t.kubectl(['wait', '--for=condition=Ready', 'pod/json', 'pod/w1', 'pod/w2', 'pod/db', '--timeout=90s']);
  },
});

/** The cell at the first occurrence of `text` on screen. */
function cellAt(ui: Tui, text: string, offset = 0) {
  const rows = ui.lines();
  const y = rows.findIndex((r) => r.includes(text));
  if (y < 0) throw new Error(`"${text}" not on screen:\n${rows.join('\n')}`);
  const buf = ui.term.buffer.active;
  return buf.getLine(buf.viewportY + y)!.getCell(rows[y]!.indexOf(text) + offset)!;
}

describe('logs in a terminal', { timeout: 150_000 }, () => {
  it('J renders JSON and logfmt lines aligned and coloured, plain lines unchanged; J again shows the raw lines', async () => {
    tui = await t.opened({ ready: /json\s+1\/1\s+Running/ });
    await filterBy(tui, '^json$');
    await tui.press('l');
    await tui.waitFor('{"level":"info","ts":"2024-05-01T12:00:01Z","msg":"starting","port":80}');
    const help = await tui.waitFor('<J>');
    expect(help).toContain('Structured/raw');

    await tui.press('J');
    const s = await tui.waitFor('INFO  12:00:01 starting port=80');
    expect(s).toContain('WARN  12:00:02 slow request path=/a ms=900');
    expect(s).toContain('ERROR 12:00:03 db down retry=3');
    expect(s).toContain('DEBUG cache miss key=k1');
    expect(s).toMatch(/│ plain text line\s+│/);
    expect(s).toContain('structured');
    expect(s).not.toContain('{"level"');
    // The level word is coloured, the message is not.
    expect(cellAt(tui, 'ERROR 12:00:03').isFgDefault()).toBe(false);
    expect(cellAt(tui, 'db down retry').isFgDefault()).toBe(true);

    await tui.press('J');
    await tui.waitFor(
      (x) =>
        x.includes('{"level":"error","ts":"2024-05-01T12:00:03Z","msg":"db down","retry":3}') &&
        !x.includes('ERROR 12:00:03'),
    );
  });

  it('/ filters with -C context and -L level, and highlights the match', async () => {
    tui = await t.opened({ ready: /json\s+1\/1\s+Running/ });
    await filterBy(tui, '^json$');
    await tui.press('l');
    await tui.waitFor('plain text line');
    await tui.press('J', '/');
    await tui.type('-L warn');
    await tui.press(KEY.enter);
    const lv = await tui.waitFor('filter: -L warn');
    expect(lv).toContain('WARN  12:00:02 slow request');
    expect(lv).toContain('ERROR 12:00:03 db down');
    expect(lv).not.toContain('starting');
    expect(lv).not.toContain('plain text line');
    expect(lv).not.toContain('cache miss');

    await tui.press('/', '\x15');
    await tui.type('-C 1 db down');
    await tui.press(KEY.enter);
    const ctx = await tui.waitFor('filter: -C 1 db down');
    expect(ctx).toContain('WARN  12:00:02 slow request');
    expect(ctx).toContain('ERROR 12:00:03 db down');
    expect(ctx).toContain('line after error');
    expect(ctx).not.toContain('starting');
    expect(ctx).not.toContain('plain text line');
    // Matches are highlighted in the line, the rest of it is not.
    expect(cellAt(tui, 'ERROR 12:00:03 db down', 15).isInverse()).toBeTruthy();
    expect(cellAt(tui, 'ERROR 12:00:03 db down', 10).isInverse()).toBeFalsy();
    expect(cellAt(tui, 'WARN  12:00:02 slow request', 15).isInverse()).toBeFalsy();

    // esc in the prompt drops the filter.
    await tui.press('/', KEY.esc);
    await tui.waitFor((x) => x.includes('starting') && x.includes('cache miss') && !x.includes('filter:'));
    // esc in the view drops a committed filter first, then goes back.
    await tui.press('/');
    await tui.type('cache');
    await tui.press(KEY.enter);
    await tui.waitFor((x) => x.includes('filter: cache') && !x.includes('starting'));
    await tui.press(KEY.esc);
    await tui.waitFor((x) => x.includes('starting') && x.includes('cache miss') && !x.includes('filter:'));
    await tui.press(KEY.esc);
    await tui.waitFor('Pods(default)');
  });

  it(':logs -l app=web follows every matching pod in its own colour; a new pod joins; the stream cap is said', async () => {
    tui = await t.opened();
    await runCommand(tui, 'logs -l app=web', 'default/-l app=web');
    const s = await tui.waitFor((x) => x.includes('hello from w1') && x.includes('hello from w2'));
    expect(s).toContain('w1/main {"level":"info","msg":"hello from w1"}');
    expect(s).not.toContain('hello from db');
    expect(s).toContain('2 streams');
    expect(cellAt(tui, 'w1/main').isFgDefault()).toBe(false);
    expect(cellAt(tui, 'w2/main').isFgDefault()).toBe(false);

    await create(printer('w3', ['{"level":"warn","msg":"hello from w3"}'], { app: 'web' }));
    await tui.waitFor('w3/main {"level":"warn","msg":"hello from w3"}', 60_000);
    await tui.waitFor('3 streams');

    await tui.press('J');
    await tui.waitFor('w3/main WARN  hello from w3');

    await tui.press(KEY.esc);
    await runCommand(tui, 'logs -l app=web --max-log-requests 2', 'default/-l app=web');
    await tui.waitFor('capped at 2, 1 more not followed (--max-log-requests)');
  });
});
