import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the local cluster keeps everything: `$SKIFF_HOME`, default `~/.skiff`. An empty value is
 * unset (as a shell's `SKIFF_HOME=` is meant), never the current directory.
 */
export function skiffHome(explicit?: string): string {
  // os.homedir() is "" when HOME is set empty: the passwd entry's then.
  return resolve(explicit || process.env.SKIFF_HOME || join(homedir() || userInfo().homedir, '.skiff'));
}

export const files = (home: string) => ({
  state: join(home, 'state.db'),
  kubeconfig: join(home, 'kubeconfig'),
  engineInfo: join(home, 'engine.json'),
  log: join(home, 'engine.log'),
  token: join(home, 'token'),
  pods: join(home, 'pods'),
});

export interface EngineInfo {
  pid: number;
  url: string;
  port: number;
}
