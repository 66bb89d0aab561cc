import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

// The official Kubernetes Python client (Debian's python3-kubernetes) as a second conformance
// judge: the pytest files next to this one run against a fresh engine, and every pytest test
// becomes a vitest test here, so it counts in the closing "N passed, N failed" line.

const PYTHON = '/usr/bin/python3';
const DIR = import.meta.dirname;
const ROOT = join(DIR, '..', '..');

function collect(): { ids: string[]; missing?: string } {
  try {
    execFileSync(PYTHON, ['-c', 'import kubernetes, pytest, pytest_timeout'], { stdio: 'pipe' });
  } catch (e) {
    return { ids: [], missing: String((e as { stderr?: Buffer }).stderr ?? e).trim() };
  }
  const out = execFileSync(PYTHON, ['-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider', 'test/python'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { ids: out.split('\n').filter((l) => l.includes('::')) };
}

interface Outcome {
  failure?: string;
  skipped?: string;
}

/** testcase elements of a JUnit XML report, keyed `test/python/file.py::name`. */
function parseJUnit(xml: string): Map<string, Outcome> {
  const unescape = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&#10;/g, '\n')
      .replace(/&amp;/g, '&');
  const out = new Map<string, Outcome>();
  for (const m of xml.matchAll(/<testcase ([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attr = (n: string) => m[1]!.match(new RegExp(`(?:^|\\s)${n}="([^"]*)"`))?.[1] ?? '';
    const id = `${attr('classname').replace(/\./g, '/')}.py::${attr('name')}`;
    const inner = m[3] ?? '';
    const failed =
      inner.match(/<(failure|error)[^>]*?(?:message="([^"]*)")?[^>]*>([\s\S]*?)<\/\1>/) ??
      inner.match(/<(failure|error)[^>]*?message="([^"]*)"/);
    const skipped = inner.match(/<skipped[^>]*?message="([^"]*)"/);
    out.set(id, {
      failure: failed ? unescape(`${failed[2] ?? ''}\n${failed[3] ?? ''}`) : undefined,
      skipped: skipped ? unescape(skipped[1]!) : undefined,
    });
  }
  return out;
}

const { ids, missing } = collect();

describe('the official Python client (python3-kubernetes) against the engine', () => {
  if (missing !== undefined) {
    it('has its judge installed: /usr/bin/python3 with python3-kubernetes, python3-pytest, python3-pytest-timeout', () => {
      throw new Error(
        `the Python judge cannot run (apt-get install python3-kubernetes python3-pytest python3-pytest-timeout):\n${missing}`,
      );
    });
    return;
  }

  let t: TestEngine;
  let results = new Map<string, Outcome>();
  let log = '';
  const work = mkdtempSync(join(tmpdir(), 'skiff-pytest-'));

  beforeAll(async () => {
    t = await startTestEngine();
    const report = join(work, 'junit.xml');
    const child = spawn(
      PYTHON,
      [
        '-m',
        'pytest',
        '-q',
        '-p',
        'no:cacheprovider',
        '--timeout=60',
        `--junitxml=${report}`,
        `--basetemp=${join(work, 'tmp')}`,
        'test/python',
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: t.kubeHome,
          SKIFF_KUBECONFIG: t.engine.kubeconfigPath,
          PYTHONDONTWRITEBYTECODE: '1',
        },
      },
    );
    child.stdout.on('data', (d: Buffer) => (log += d));
    child.stderr.on('data', (d: Buffer) => (log += d));
    await new Promise((r) => child.on('close', r));
    try {
      results = parseJUnit(readFileSync(report, 'utf8'));
    } catch {
      // No report: every test below fails with pytest's own output.
    }
  }, 240_000);

  afterAll(async () => {
    await t?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('collects the pytest files', () => expect(ids.length).toBeGreaterThan(20));

  for (const id of ids) {
    it(id, (ctx) => {
      const r = results.get(id);
      if (!r) throw new Error(`pytest reported nothing for ${id}:\n${log.slice(-4000)}`);
      if (r.skipped !== undefined) return ctx.skip();
      if (r.failure !== undefined) throw new Error(r.failure);
    });
  }
});
