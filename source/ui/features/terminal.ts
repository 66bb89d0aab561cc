import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KObject } from '../../api-types/index.ts';
import { getObject, replaceObject } from '../../client/actions.ts';
import { errorMessage } from '../../client/errors.ts';
import { SHELL_COMMAND, STDERR, STDOUT, execFailure, openExec } from '../../client/exec.ts';
import type { Controller, TerminalIO } from '../controller.ts';
import { toYaml } from '../yaml.ts';
import type { CommandHandlers } from '../keys/keymap.ts';
import {
  allContainers,
  containerLabel,
  containerNames,
  DEFAULT_CONTAINER_ANNOTATION,
} from '../../api-types/pod-spec.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'ask' | 'fullObject' | 'handOver' | 'selection' | 'session' | 'toast'>;

/** Connects the real terminal to an exec session until the remote shell exits. */
async function runShell(
  c: Host,
  io: TerminalIO,
  ns: string,
  pod: string,
  container: string | undefined,
): Promise<string> {
  const { stdin, stdout } = io;
  stdout.write(
    `\x1b[2J\x1b[H\x1b[2m# skiff: shell in ${pod}${container ? ` (${container})` : ''}; exit or ctrl-d returns to skiff\x1b[0m\r\n`,
  );
  const session = await openExec(c.session!.transport, {
    namespace: ns,
    pod,
    container,
    command: SHELL_COMMAND,
    tty: true,
    stdin: true,
  });
  const onInput = (d: Buffer) => session.write(d);
  const onResize = () => session.resize(stdout.columns, stdout.rows);
  session.onOutput((ch, data) => {
    if (ch === STDOUT || ch === STDERR) stdout.write(data);
  });
  stdin.setRawMode(true);
  stdin.resume();
  stdin.on('data', onInput);
  stdout.on('resize', onResize);
  onResize();
  try {
    const result = await session.done;
    if (result.lost) throw new Error(`Shell connection lost: ${result.lost}`);
    const failure = execFailure(result);
    if (failure) throw new Error(`Shell failed: ${failure}`);
    if (result.exitCode === undefined || result.exitCode === 0) return 'Shell exited';
    return `Shell exited with code ${result.exitCode}`;
  } finally {
    stdin.off('data', onInput);
    stdout.off('resize', onResize);
  }
}

/** Runs $KUBE_EDITOR / $EDITOR (default vi) on a file, with the terminal. */
function runEditor(file: string): Promise<number> {
  const editor = process.env.KUBE_EDITOR || process.env.EDITOR || 'vi';
  return new Promise((resolve, reject) => {
    const child = spawn(`${editor} "${file}"`, { stdio: 'inherit', shell: true });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const EDIT_HEADER =
  '# Please edit the object below. Lines beginning with a # are ignored,\n' +
  '# and an empty file aborts the edit. If an error occurs while saving, this file\n' +
  '# is reopened with the relevant failures.\n#\n';

export function terminalCommands(c: Host) {
  return {
    'pod.shell': () => {
      const sel = c.selection();
      if (!sel || !c.session) return;
      void c.fullObject(sel.view, sel.row).then((obj) => {
        if (!obj) return;
        const all = allContainers(obj);
        const containers = containerNames(obj);
        const preferred = obj.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
        const start = (container?: string) =>
          void c
            .handOver((io) => runShell(c, io, sel.row.namespace!, sel.row.name, container))
            .then(
              (msg) => msg && c.toast(msg),
              (err) => c.toast(errorMessage(err), 'error'),
            );
        if (all.length <= 1) return start(containers[0]);
        // kubectl exec goes straight into the annotated default container; so does the shell key.
        if (preferred && containers.includes(preferred)) return start(preferred);
        // Init and ephemeral (kubectl debug) containers are offered too; the regular ones first.
        const order = [...all.filter((x) => x.kind === 'container'), ...all.filter((x) => x.kind !== 'container')];
        c.ask(
          {
            kind: 'pick',
            title: `Shell into which container of ${sel.row.name}?`,
            options: order.map(containerLabel),
            index: 0,
          },
          (a) => {
            const picked = a.ok && a.index !== undefined ? order[a.index] : undefined;
            if (picked) start(picked.name);
          },
        );
      });
    },

    'obj.edit': () => {
      const sel = c.selection();
      const t = c.session?.transport;
      if (!sel || !t) return;
      void (async () => {
        let obj: KObject;
        try {
          obj = await getObject(t, sel.ref);
        } catch (err) {
          return c.toast(errorMessage(err), 'error');
        }
        delete obj.metadata.managedFields;
        const dir = mkdtempSync(join(tmpdir(), 'skiff-edit-'));
        const file = join(dir, `${sel.row.name}.yaml`);
        const original = toYaml(obj) + '\n';
        let header = EDIT_HEADER;
        let body = original;
        try {
          for (;;) {
            writeFileSync(file, header + body);
            const code = await c.handOver(() => runEditor(file));
            if (code === undefined) return;
            if (code !== 0) return c.toast(`Editor exited with code ${code}; nothing changed`, 'error');
            const text = readFileSync(file, 'utf8');
            body = text
              .split('\n')
              .filter((l) => !l.startsWith('#'))
              .join('\n');
            if (!body.trim()) return c.toast('Edit cancelled: empty file');
            if (body.trim() === original.trim()) return c.toast('Edit cancelled: no changes');
            let edited: KObject;
            try {
              const docs = parseAllDocuments(body);
              if (docs.length !== 1 || docs[0].errors.length)
                throw new Error(docs[0]?.errors[0]?.message ?? 'expected one YAML document');
              edited = docs[0].toJS();
            } catch (err) {
              header = `${EDIT_HEADER}# error: ${errorMessage(err).split('\n').join('\n# ')}\n#\n`;
              continue;
            }
            try {
              await replaceObject(t, sel.ref, edited);
              return c.toast(`${sel.info.singular}/${sel.row.name} edited`, 'success');
            } catch (err) {
              // Keep the user's edit and say why the server refused it, as kubectl edit does.
              header = `${EDIT_HEADER}# ${sel.info.singular} "${sel.row.name}" was not valid:\n# * ${errorMessage(err).split('\n').join('\n# ')}\n#\n`;
            }
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      })();
    },
  } satisfies CommandHandlers;
}
