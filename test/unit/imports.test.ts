// The module graph of src/ has no cycles, type-only imports included, and each layer imports only its
// own layer and those below it: cli -> commands -> run -> checks / report -> db / dump / journal / logs
// -> leaf utilities.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

/**
 * The layers of src/, top first: a folder (`commands/`) or a module (`config`, without .ts). A module
 * may import its own layer and the ones below it, never one above.
 */
const LAYERS: { name: string; modules: string[] }[] = [
  { name: 'cli', modules: ['main', 'cli', 'cli/', 'generate'] },
  { name: 'commands', modules: ['commands/'] },
  { name: 'run', modules: ['run/', 'baseline'] },
  { name: 'checks and report', modules: ['checks/', 'report/', 'thresholds', 'config', 'config-schema'] },
  { name: 'sources', modules: ['db/', 'dump/', 'journal/', 'logs/', 'lifecycles/', 'embedded/', 'interrupt', 'files'] },
  {
    name: 'leaf utilities',
    modules: ['arrays', 'decimal', 'duration', 'errors', 'finding', 'json', 'key-index', 'mask', 'oncall', 'severity', 'suggest', 'time', 'version', 'words'],
  },
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of a module, static, dynamic and type-only alike, as source paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\(\s*|import\s+)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] as string);
  return specs.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

function layerOf(file: string): number | undefined {
  const path = relative(SRC, file);
  const index = LAYERS.findIndex((layer) => layer.modules.some((m) => (m.endsWith('/') ? path.startsWith(m) : path === `${m}.ts`)));
  return index < 0 ? undefined : index;
}

/** Each import of the graph that goes to a layer above its module's. */
function climbs(graph: Map<string, string[]>): string[] {
  const name = (f: string) => `${relative(SRC, f)} (${LAYERS[layerOf(f) ?? -1]?.name ?? 'no layer'})`;
  return [...graph].flatMap(([file, imports]) =>
    imports.filter((to) => (layerOf(to) ?? -1) < (layerOf(file) ?? 0)).map((to) => `${name(file)} -> ${name(to)}`),
  );
}

describe('imports', () => {
  it('form no cycle', () => {
    const graph = new Map(files(SRC).map((f) => [f, importsOf(f)]));
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('climb no layer: a module imports only its own layer and the layers below it', () => {
    const unplaced = files(SRC)
      .filter((f) => layerOf(f) === undefined)
      .map((f) => relative(SRC, f));
    expect(unplaced, 'every module of src/ is in a layer (LAYERS above)').toEqual([]);
    expect(climbs(new Map(files(SRC).map((f) => [f, importsOf(f)])))).toEqual([]);
  });

  it('see a climb when there is one', () => {
    const graph = new Map(files(SRC).map((f) => [f, importsOf(f)]));
    graph.get(join(SRC, 'report/doctor.ts'))?.push(join(SRC, 'commands/doctor.ts'));
    expect(climbs(graph)).toEqual(['report/doctor.ts (checks and report) -> commands/doctor.ts (commands)']);
  });
});
