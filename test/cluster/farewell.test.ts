import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { farewell } from '../../source/cluster/farewell.ts';

const homes: string[] = [];
const home = () => {
  const h = mkdtempSync(join(tmpdir(), 'skiff-farewell-'));
  homes.push(h);
  return h;
};
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

describe('farewell', () => {
  it('says the local cluster keeps running and how to stop it, when its engine is alive', () => {
    const h = home();
    writeFileSync(
      join(h, 'engine.json'),
      JSON.stringify({ pid: process.pid, url: 'https://127.0.0.1:6443', port: 6443 }),
    );
    const note = farewell(h);
    expect(note).toContain('The local cluster keeps running');
    expect(note).toContain('skiff cluster down');
    expect(note).toContain(String(process.pid));
  });

  it('says nothing when no engine runs', () => {
    const h = home();
    expect(farewell(h)).toBeUndefined();
    writeFileSync(
      join(h, 'engine.json'),
      JSON.stringify({ pid: 2 ** 22 + 12345, url: 'https://127.0.0.1:6443', port: 6443 }),
    );
    expect(farewell(h)).toBeUndefined();
  });
});
