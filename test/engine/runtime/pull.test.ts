import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/engine/clock.ts';
import { loadCatalog } from '../../../source/engine/runtime/catalog.ts';
import { ImageNeverPullError, ImagePullError } from '../../../source/engine/runtime/errors.ts';
import { ImagePuller } from '../../../source/engine/runtime/pull.ts';

const catalog = loadCatalog();
const flush = () => new Promise((r) => setImmediate(r));

describe('ImagePuller', () => {
  it('waits on the first pull, then hits the node cache', async () => {
    const clock = new FakeClock();
    const p = new ImagePuller(catalog, clock, 1500);
    let done = false;
    const first = p.pull('node1', 'nginx:1.25').then((r) => ((done = true), r));
    await flush();
    expect(done).toBe(false);
    clock.advance(1500);
    const r = await first;
    expect(r).toMatchObject({ cached: false, durationMs: 1500 });
    expect(await p.pull('node1', 'docker.io/library/nginx:1.25')).toMatchObject({ cached: true, durationMs: 0 });
    expect(p.has('node2', 'nginx:1.25')).toBe(false);
    expect(p.images('node1')).toEqual([
      { names: [r.resolved.imageID, 'docker.io/library/nginx:1.25'], sizeBytes: r.resolved.image.size },
    ]);
  });

  it('shares one wait between concurrent pulls', async () => {
    const clock = new FakeClock();
    const p = new ImagePuller(catalog, clock, 1000);
    const both = Promise.all([p.pull('n', 'busybox'), p.pull('n', 'busybox')]);
    await flush();
    expect(clock.pending()).toBe(1);
    clock.advance(1000);
    expect((await both).map((r) => r.cached)).toEqual([false, false]);
  });

  it('re-pulls with Always, quickly', async () => {
    const clock = new FakeClock();
    const p = new ImagePuller(catalog, clock, 1000);
    const a = p.pull('n', 'busybox');
    clock.advance(1000);
    await a;
    const b = p.pull('n', 'busybox', 'Always');
    await flush();
    clock.advance(100);
    expect(await b).toMatchObject({ cached: false, durationMs: 100 });
  });

  it('refuses with Never when absent', async () => {
    const p = new ImagePuller(catalog, new FakeClock(), 1000);
    await expect(p.pull('n', 'busybox', 'Never')).rejects.toThrow(ImageNeverPullError);
    await expect(p.pull('n', 'busybox', 'Never')).rejects.toThrow(
      'Container image "busybox" is not present with pull policy of Never',
    );
  });

  it('fails unknown tags at once', async () => {
    const p = new ImagePuller(catalog, new FakeClock(), 1000);
    await expect(p.pull('n', 'nginx:abc')).rejects.toThrow(ImagePullError);
  });
});
