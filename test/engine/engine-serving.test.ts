import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, type Serving } from '../../source/engine/engine.ts';
import { ApiClient } from '../reliability/support/client.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('startEngine onServing', () => {
  it('serves the nodes before the components start, and starts them once what onServing returns settles', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skiff-serving-'));
    dirs.push(home);
    let serving!: Serving;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let gotServing!: () => void;
    const servingSeen = new Promise<void>((r) => (gotServing = r));
    let componentsStarted = false;
    const starting = startEngine({
      home,
      port: 0,
      timeScale: 0.05,
      log: (m) => {
        if (m.includes('listening')) componentsStarted = true;
      },
      onServing: (s) => {
        serving = s;
        gotServing();
        return gate;
      },
    });
    await servingSeen;
    const token = readFileSync(join(home, 'token'), 'utf8').trim();
    const api = new ApiClient(serving.url, token, readFileSync(join(home, 'pki', 'ca.crt'), 'utf8'));
    const nodes = await api.json('GET', '/api/v1/nodes');
    expect(nodes.status).toBe(200);
    expect(nodes.body.items.length).toBeGreaterThan(0);
    await serving.firstResponse;
    expect(componentsStarted).toBe(false);
    release();
    const engine = await starting;
    expect(componentsStarted).toBe(true);
    api.close();
    await engine.stop();
  });
});
