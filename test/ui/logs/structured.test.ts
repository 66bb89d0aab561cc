import { describe, expect, it } from 'vitest';
import {
  formatStructured,
  levelRank,
  normalizeLevel,
  parseLogfmt,
  parseStructured,
  renderLine,
  shortTime,
} from '../../../source/ui/logs/structured.ts';

describe('structured log lines', () => {
  it('reads a JSON line: level, time and message apart, the rest as fields in order', () => {
    const s = parseStructured(
      '{"level":"info","ts":"2024-05-01T12:00:01.250Z","msg":"started","port":80,"tls":false,"peer":{"ip":"1.2.3.4"}}',
    );
    expect(s).toEqual({
      level: 'info',
      time: '2024-05-01T12:00:01.250Z',
      msg: 'started',
      fields: [
        ['port', '80'],
        ['tls', 'false'],
        ['peer', '{"ip":"1.2.3.4"}'],
      ],
    });
  });

  it('knows the usual key names (severity, @timestamp, message)', () => {
    const s = parseStructured('{"severity":"WARNING","@timestamp":"2024-05-01T12:00:01Z","message":"slow"}');
    expect(s?.level).toBe('WARNING');
    expect(formatStructured(s!)).toBe('WARN  12:00:01 slow');
  });

  it('reads logfmt with quoted values', () => {
    expect(parseLogfmt('level=warn msg="disk almost full" used=91%')).toEqual([
      ['level', 'warn'],
      ['msg', 'disk almost full'],
      ['used', '91%'],
    ]);
    expect(renderLine('time=2024-05-01T08:30:00Z level=error msg="db down" retry=3')).toBe(
      'ERROR 08:30:00 db down retry=3',
    );
  });

  it('passes through lines that are not structured', () => {
    for (const line of ['plain text', 'a=b', '[1, 2]', '{not json}', 'GET /index.html 200', 'x = 1 and y = 2', ''])
      expect(renderLine(line)).toBe(line);
  });

  it('aligns: the level column is five wide, values that need it are quoted', () => {
    expect(renderLine('{"level":"info","msg":"hi","user":"ann lee","empty":""}')).toBe(
      'INFO  hi user="ann lee" empty=""',
    );
    expect(renderLine('{"level":"debug","msg":"x"}')).toBe('DEBUG x');
    expect(renderLine('{"msg":"no level"}')).toBe('      no level');
  });

  it('normalizes level names and numbers (bunyan/pino)', () => {
    expect(normalizeLevel('WRN')).toBe('warn');
    expect(normalizeLevel('critical')).toBe('fatal');
    expect(normalizeLevel('50')).toBe('error');
    expect(normalizeLevel('30')).toBe('info');
    expect(normalizeLevel('chatty')).toBeUndefined();
    expect(levelRank('error')).toBeGreaterThan(levelRank('warning'));
    expect(levelRank(undefined)).toBe(-1);
  });

  it('shortens times: ISO to the time of day, epoch seconds and millis to UTC', () => {
    expect(shortTime('2024-05-01T12:00:01.250123Z')).toBe('12:00:01.250');
    expect(shortTime('1714564801')).toBe('12:00:01.000');
    expect(shortTime('1714564801250')).toBe('12:00:01.250');
    expect(shortTime('yesterday')).toBe('yesterday');
  });
});
