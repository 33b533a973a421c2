import { perWindow, RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows the burst, refuses the next, and refills with time', () => {
    const limiter = perWindow(3, 60_000);
    expect([0, 1, 2, 3].map(() => limiter.take('a', 1000))).toEqual([true, true, true, false]);
    expect(limiter.take('a', 1000 + 19_999)).toBe(false);
    expect(limiter.take('a', 1000 + 20_000)).toBe(true);
    expect(limiter.take('b', 1000)).toBe(true);
  });

  it('when full, forgets only the least recently seen key, never all of them', () => {
    const limiter = new RateLimiter({ capacity: 1, refillPerMs: 0, maxKeys: 3 });
    for (const ip of ['a', 'b', 'c']) expect(limiter.take(ip, 0)).toBe(true);
    // 'a' is seen again (refused: its token is spent), so 'b' becomes the coldest key.
    expect(limiter.take('a', 1)).toBe(false);
    expect(limiter.take('d', 2)).toBe(true);
    expect(limiter.size).toBe(3);
    // 'a' and 'c' are still remembered and still limited; 'b' was forgotten.
    expect(limiter.take('a', 3)).toBe(false);
    expect(limiter.take('c', 3)).toBe(false);
    expect(limiter.take('b', 3)).toBe(true);
  });

  it('keeps a limited key limited while 10,000 other addresses pass by', () => {
    const limiter = perWindow(2, 60_000, 10_000);
    limiter.take('attacker', 0);
    limiter.take('attacker', 0);
    for (let i = 0; i < 10_000; i++) {
      limiter.take(`10.0.${i >> 8}.${i & 255}`, 0);
      if (i % 1000 === 0) limiter.take('attacker', 0);
    }
    expect(limiter.take('attacker', 0)).toBe(false);
  });
});
