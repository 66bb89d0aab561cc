import { loadKubeConfig, type KubeconfigSource } from './kubeconfig.ts';
import { beginHandshake, type Handshake } from './session.ts';

/**
 * A connection begun while the TUI's code still loads: the kubeconfig read and the server asked
 * for its version and discovery, so that the first connect() finds them answered or on the way
 * instead of asking after the first frame. Not begun for an exec credential plugin, which may need
 * the terminal (lent by the UI once it runs) and whose output the UI shows.
 */
export class EarlyConnection {
  private handshake?: Handshake;

  constructor(
    private readonly source: KubeconfigSource,
    timeoutMs?: number,
  ) {
    let kc;
    try {
      kc = loadKubeConfig(source);
    } catch {
      return; // the UI's own load reports it
    }
    if (kc.getCurrentUser()?.exec) return;
    try {
      this.handshake = beginHandshake(kc, timeoutMs);
    } catch {
      return; // a context without a cluster: connect() reports it
    }
    this.handshake.answer.catch(() => {}); // connect() reports a failure when it takes it over
  }

  /** The handshake, once, when it was begun for this same kubeconfig source. */
  take(source: KubeconfigSource): Handshake | undefined {
    const h = this.handshake;
    this.handshake = undefined;
    if (h && sameSource(source, this.source)) return h;
    h?.transport.close();
    return undefined;
  }

  /** Closes a handshake nobody took. */
  close(): void {
    this.handshake?.transport.close();
    this.handshake = undefined;
  }
}

function sameSource(a: KubeconfigSource, b: KubeconfigSource): boolean {
  return (
    a.path === b.path &&
    a.context === b.context &&
    (a.paths === undefined) === (b.paths === undefined) &&
    (a.paths ?? []).length === (b.paths ?? []).length &&
    (a.paths ?? []).every((p, i) => p === b.paths![i])
  );
}
