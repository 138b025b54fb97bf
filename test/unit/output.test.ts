import { afterEach, describe, expect, it } from 'vitest';
import { colorLevel } from '../../src/cli/output.js';
import type { CommonFlags } from '../../src/cli/options.js';

const flags = { color: true } as CommonFlags;

describe('colour on a terminal', () => {
  const saved = { isTTY: process.stdout.isTTY, env: { ...process.env } };
  afterEach(() => {
    process.stdout.isTTY = saved.isTTY;
    process.env = { ...saved.env };
  });

  it('is off for TERM=dumb and NO_COLOR, on otherwise, and FORCE_COLOR wins over TERM', () => {
    process.stdout.isTTY = true;
    delete process.env.NO_COLOR;
    delete process.env.FORCE_COLOR;
    process.env.TERM = 'xterm-256color';
    expect(colorLevel(flags)).toBeGreaterThan(0);
    process.env.TERM = 'dumb';
    expect(colorLevel(flags)).toBe(0);
    process.env.FORCE_COLOR = '1';
    expect(colorLevel(flags)).toBe(1);
    delete process.env.FORCE_COLOR;
    process.env.TERM = 'xterm';
    process.env.NO_COLOR = '1';
    expect(colorLevel(flags)).toBe(0);
  });
});
