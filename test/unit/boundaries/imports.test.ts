import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The import boundaries of issue 12, checked over the source text so dynamic `import()` counts too
 * (eslint.config.js checks static imports as you type): src/ reaches connectors/ only through the
 * registries, and nothing the worker loads, directly or through other modules, is in src/cli.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REGISTRIES = new Set(['connectors/index.ts', 'connectors/crm-registry.ts', 'connectors/usage-registry.ts']);
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** Repo-relative paths of the modules a file imports by a relative specifier. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(SPECIFIER)].map((m) =>
    path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1] ?? '')),
  );
}

describe('import boundaries', () => {
  it('src/ imports connectors/ only through the registry files', () => {
    const violations = sourceFiles('src').flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith('connectors/') && !REGISTRIES.has(target))
        .map((target) => `${file} -> ${target}`),
    );
    expect(violations).toEqual([]);
  });

  it('no module the worker loads, directly or transitively, is in src/cli', () => {
    const seen = new Map<string, string>();
    const queue = sourceFiles('src/worker');
    for (const file of queue) seen.set(file, file);
    const reached: string[] = [];
    while (queue.length > 0) {
      const file = queue.shift() ?? '';
      for (const target of importsOf(file)) {
        if (seen.has(target) || !target.endsWith('.ts')) continue;
        seen.set(target, `${seen.get(file) ?? file} -> ${target}`);
        if (target.startsWith('src/cli/')) reached.push(seen.get(target) ?? target);
        else queue.push(target);
      }
    }
    expect(reached).toEqual([]);
    expect(seen.has('src/engine/run-service.ts')).toBe(true);
  });
});
