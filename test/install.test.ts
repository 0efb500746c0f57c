/**
 * What `npm install --omit=dev` ships: CCF's coefficients are generated into the source
 * (scripts/generate-ccf-coefficients.mjs), so neither CCF nor the AWS SDK v2 it pulls in is a
 * production dependency.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Tree {
  version?: string;
  dependencies?: Record<string, Tree>;
}

function walk(t: Tree, out: string[], name = ''): string[] {
  if (name) out.push(`${name}@${t.version}`);
  for (const [n, d] of Object.entries(t.dependencies ?? {})) walk(d, out, n);
  return out;
}

describe('the production dependency tree', () => {
  it('holds no AWS SDK v2 and no Cloud Carbon Footprint package', () => {
    const json = execFileSync('npm', ['ls', '--omit=dev', '--all', '--json'], {
      cwd: join(import.meta.dirname, '..'),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const all = walk(JSON.parse(json) as Tree, []);
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((p) => /^aws-sdk@2\./.test(p))).toEqual([]);
    expect(all.filter((p) => p.startsWith('@cloud-carbon-footprint/'))).toEqual([]);
  });
});
