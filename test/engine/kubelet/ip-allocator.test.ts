import { describe, expect, it } from 'vitest';
import { IpAllocator } from '../../../source/engine/kubelet/ip-allocator.ts';

describe('IpAllocator', () => {
  it('hands out .2 upwards, reuses freed addresses, honours a preferred free one', () => {
    const a = new IpAllocator('127.244.1.0/24');
    expect(a.allocate('u1')).toBe('127.244.1.2');
    expect(a.allocate('u2')).toBe('127.244.1.3');
    expect(a.allocate('u1')).toBe('127.244.1.2');
    a.release('u1');
    expect(a.allocate('u3')).toBe('127.244.1.2');
    expect(a.allocate('u4', '127.244.1.77')).toBe('127.244.1.77');
    expect(a.allocate('u5', '127.244.1.77')).toBe('127.244.1.4');
    expect(a.allocate('u6', '127.244.2.9')).toBe('127.244.1.5');
    expect(a.inUse).toBe(5);
  });

  it('runs out after the last host address of the range', () => {
    const a = new IpAllocator('127.244.8.0/30');
    expect(a.allocate('x')).toBe('127.244.8.2');
    expect(() => a.allocate('y')).toThrow(/no free pod IP/);
    const big = new IpAllocator('127.244.8.0/21');
    for (let i = 0; i < 2044; i++) big.allocate(`p${i}`);
    expect(big.allocate('last')).toBe('127.244.15.254');
  });
});
