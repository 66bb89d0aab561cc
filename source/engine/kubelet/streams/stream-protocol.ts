/**
 * The WebSocket framing of the remotecommand channel protocols (k8s.io/apimachinery wsstream):
 * each message is one channel byte then data. `base64` variants send text: the channel as an
 * ASCII digit, then base64. v4 and v5 report the end as a JSON Status on channel 3; v5 adds
 * channel 255, with which the client closes one of its streams (`[255, 0]`: stdin is done).
 */
export const STREAM_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v4.base64.channel.k8s.io'] as const;
export type StreamProtocol = (typeof STREAM_PROTOCOLS)[number];

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
export const CLOSE = 255;

export function pickProtocol(offered: Set<string>): StreamProtocol | false {
  return STREAM_PROTOCOLS.find((p) => offered.has(p)) ?? false;
}

export function encodeFrame(protocol: string, channel: number, data: Buffer | string): Buffer | string {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  if (protocol.includes('base64')) return String.fromCharCode(48 + channel) + bytes.toString('base64');
  return Buffer.concat([Buffer.from([channel]), bytes]);
}

export function decodeFrame(protocol: string, msg: Buffer): { channel: number; data: Buffer } | undefined {
  if (msg.length === 0) return undefined;
  if (protocol.includes('base64')) {
    const text = msg.toString();
    return { channel: text.charCodeAt(0) - 48, data: Buffer.from(text.slice(1), 'base64') };
  }
  return { channel: msg[0]!, data: msg.subarray(1) };
}

/** The Status kubectl expects on channel 3 when the command ended. */
export function exitStatus(command: string[], exitCode: number): object {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}
