import { describe, expect, it } from 'vitest';
import { blockTitle, commandsOf, shellBlocks } from './blocks.ts';

const DOC = [
  '# Title',
  '',
  '## Start',
  '',
  '```sh',
  '# start it',
  'kubectl get nodes',
  '```',
  '',
  '<!-- expect: node1 -->',
  '<!-- expect: ^master\\s+Ready -->',
  '',
  'Some prose.',
  '',
  '```text',
  'NAME   STATUS',
  '```',
  '',
  '```sh no-test',
  'kubectl exec -it pod -- /bin/sh',
  '```',
  '',
  '````md',
  '```sh',
  'not a block of this document',
  '```',
  '````',
  '',
  '### Later',
  '```sh',
  'a=1',
  '  # indented comment',
  'echo $a  # trailing comment stays',
  '```',
  'Prose right after.',
  '<!-- expect: too-late -->',
].join('\n');

describe('shellBlocks', () => {
  const blocks = shellBlocks(DOC);

  it('finds sh blocks in order, with flags, lines and headings', () => {
    expect(blocks.map((b) => [b.line, b.heading, b.runnable, b.flags])).toEqual([
      [5, 'Start', true, []],
      [19, 'Start', false, ['no-test']],
      [30, 'Later', true, []],
    ]);
    expect(blocks[0]!.code).toBe('# start it\nkubectl get nodes');
  });

  it('reads expectations only right after a block', () => {
    expect(blocks[0]!.expect).toEqual(['node1', '^master\\s+Ready']);
    expect(blocks[1]!.expect).toEqual([]);
    expect(blocks[2]!.expect).toEqual([]);
  });

  it('ignores fences nested in a longer fence', () => {
    expect(blocks.some((b) => b.code.includes('not a block'))).toBe(false);
  });

  it('compares commands without full-line comments', () => {
    expect(commandsOf(blocks[2]!)).toBe('a=1\necho $a  # trailing comment stays');
    expect(blockTitle(blocks[0]!, 0)).toBe('block 1 (line 5, Start): kubectl get nodes');
  });
});
