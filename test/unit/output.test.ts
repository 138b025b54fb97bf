import { afterEach, describe, expect, it } from 'vitest';
import { colorLevel, tableWidth } from '../../src/cli/output.js';
import type { CommonFlags } from '../../src/cli/options.js';

const flags = {} as CommonFlags; // neither --color nor --no-color

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

  it('--color forces it into a pipe and past NO_COLOR and TERM=dumb; --no-color turns it off on a terminal', () => {
    process.stdout.isTTY = false;
    process.env.NO_COLOR = '1';
    process.env.TERM = 'dumb';
    expect(colorLevel(flags)).toBe(0);
    expect(colorLevel({ ...flags, color: true })).toBe(1);
    process.stdout.isTTY = true;
    delete process.env.NO_COLOR;
    process.env.TERM = 'xterm-256color';
    expect(colorLevel({ ...flags, color: false })).toBe(0);
  });
});

describe('table width', () => {
  const saved = { isTTY: process.stdout.isTTY, columns: process.stdout.columns, env: { ...process.env } };
  afterEach(() => {
    process.stdout.isTTY = saved.isTTY;
    process.stdout.columns = saved.columns;
    process.env = { ...saved.env };
  });

  it("is --width, else the terminal's, else COLUMNS, else 80", () => {
    process.stdout.isTTY = false;
    delete process.env.COLUMNS;
    expect(tableWidth({})).toBe(80);
    process.env.COLUMNS = '100';
    expect(tableWidth({})).toBe(100);
    process.env.COLUMNS = 'wide';
    expect(tableWidth({})).toBe(80);
    process.stdout.isTTY = true;
    process.stdout.columns = 132;
    process.env.COLUMNS = '100';
    expect(tableWidth({})).toBe(132);
    expect(tableWidth({ output: 'report.txt' })).toBe(100); // a file is not the terminal
    expect(tableWidth({ width: 60 })).toBe(60);
  });
});
