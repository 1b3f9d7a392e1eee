import { expect } from 'vitest';

/** The 1-based line of the rule (its `- ` item line) whose `field:` is `field`, in `yaml` (in `section` when given). */
export function ruleLine(yaml: string, field: string, section?: 'read' | 'write'): number {
  const lines = yaml.split('\n');
  const from = section ? lines.indexOf(`${section}:`) : 0;
  expect(from, `no ${section ?? ''} section`).toBeGreaterThanOrEqual(0);
  let i = lines.findIndex((l, n) => n > from && new RegExp(`^\\s*-?\\s*field: ${field}(\\s|$)`).test(l));
  expect(i, `no rule for ${field}`).toBeGreaterThanOrEqual(0);
  while (!/^\s*- /.test(lines[i] ?? '')) i -= 1;
  return i + 1;
}

/** Replaces exactly one occurrence of `from` (a rule's lines) in `yaml`. */
export function edit(yaml: string, from: string, to: string): string {
  expect(yaml.split(from).length - 1, `"${from}" once in the mapping`).toBe(1);
  return yaml.replace(from, to);
}
