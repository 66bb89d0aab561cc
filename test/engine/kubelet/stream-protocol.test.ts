import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  encodeFrame,
  exitStatus,
  pickProtocol,
} from '../../../source/engine/kubelet/streams/stream-protocol.ts';

describe('stream protocol', () => {
  it('prefers v5, then v4, then base64', () => {
    expect(pickProtocol(new Set(['v4.channel.k8s.io', 'v5.channel.k8s.io']))).toBe('v5.channel.k8s.io');
    expect(pickProtocol(new Set(['v4.base64.channel.k8s.io']))).toBe('v4.base64.channel.k8s.io');
    expect(pickProtocol(new Set(['channel.k8s.io']))).toBe(false);
  });

  it('frames binary and base64 messages', () => {
    expect(encodeFrame('v5.channel.k8s.io', 1, 'hi')).toEqual(Buffer.from([1, 104, 105]));
    expect(encodeFrame('v4.base64.channel.k8s.io', 1, 'hi')).toBe('1aGk=');
    expect(decodeFrame('v5.channel.k8s.io', Buffer.from([255, 0]))).toEqual({ channel: 255, data: Buffer.from([0]) });
    expect(decodeFrame('v4.base64.channel.k8s.io', Buffer.from('0aGk='))).toEqual({
      channel: 0,
      data: Buffer.from('hi'),
    });
  });

  it('reports the exit code as kubectl expects', () => {
    expect(exitStatus(['sh'], 0)).toEqual({ metadata: {}, status: 'Success' });
    expect(exitStatus(['sh', '-c', 'exit 3'], 3)).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });
});
