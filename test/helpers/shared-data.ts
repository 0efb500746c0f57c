/**
 * Public data the workplace keeps beside the project (`../shared/data`), never copied into it.
 * Tests that check against it skip, saying so, where it is not there (a user's clone).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = [
  process.env.SPENDBRIEF_SHARED_DATA,
  join(import.meta.dirname, '../../../shared/data'),
  '/work/shared/data',
].filter((r): r is string => !!r);

/** The absolute path of a shared data file, or null when no shared data is present. */
export function sharedData(rel: string): string | null {
  for (const root of ROOTS) {
    const p = join(root, rel);
    if (existsSync(p)) return p;
  }
  return null;
}

/** Why a test is skipped, printed once. */
export function skipNote(rel: string): string {
  const note = `skipped: ../shared/data/${rel} is not here (public data kept outside the project)`;
  console.warn(note);
  return note;
}
