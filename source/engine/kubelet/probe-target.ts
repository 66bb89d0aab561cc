import type { Container } from '../runtime/index.ts';
import type { ProbeTarget } from './probe-check.ts';
import type { SlotHost } from './slot-host.ts';

/** How probes reach one container instance: its pod IP (through port mappings) and exec. */
export function probeTarget(host: SlotHost, c: Container, ports: ProbeTarget['ports']): ProbeTarget {
  return {
    podIP: host.podIP,
    ports,
    dial(h, port) {
      const m = h === host.podIP ? c.portMappings.find((p) => p.containerPort === port) : undefined;
      return m ? { host: m.hostIP, port: m.hostPort } : { host: h, port };
    },
    async exec(command, signal) {
      const s = host.rt.exec({ podUid: c.podUid, container: c.name, command });
      let output = '';
      const add = (d: Buffer) => {
        if (output.length < 10_240) output += d.toString();
      };
      const ended = [s.stdout, s.stderr].map((stream) => {
        if (!stream) return Promise.resolve();
        stream.on('data', add);
        return new Promise<void>((resolve) => {
          stream.once('end', resolve);
          stream.once('close', resolve);
          stream.once('error', () => resolve());
        });
      });
      const onAbort = () => s.kill();
      signal.addEventListener('abort', onAbort, { once: true });
      const { exitCode } = await s.exited;
      // Output can still be on its way after the exit.
      await Promise.race([Promise.all(ended), new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);
      signal.removeEventListener('abort', onAbort);
      return { exitCode, output };
    },
  };
}
