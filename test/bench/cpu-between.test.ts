import { describe, expect, it } from 'vitest';
import { cpuBetween } from '../../bench/lib/footprint.mjs';

const ms = (n: number) => BigInt(n) * 1_000_000n;

describe('cpuBetween', () => {
  const samples: [bigint, number][] = [
    [ms(0), 0.5],
    [ms(100), 0.5],
    [ms(200), 0.7],
    [ms(300), 0.9],
  ];

  it('interpolates the CPU seconds used between two instants', () => {
    expect(cpuBetween(samples, ms(100), ms(300))).toBeCloseTo(0.4);
    expect(cpuBetween(samples, ms(150), ms(250))).toBeCloseTo(0.2);
  });

  it('leaves out what was used before the window (start-up)', () => {
    expect(cpuBetween(samples, ms(50), ms(100))).toBeCloseTo(0);
  });

  it('clamps to the first and last sample outside the sampled span', () => {
    expect(cpuBetween(samples, ms(-50), ms(400))).toBeCloseTo(0.4);
  });

  it('is NaN without samples', () => {
    expect(cpuBetween([], ms(0), ms(1))).toBeNaN();
  });
});
