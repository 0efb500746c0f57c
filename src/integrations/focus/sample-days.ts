/**
 * The latest day a set of FOCUS CSV files most likely holds, from the rows at each file's start
 * and end (exports are written in day order, one way or the other): a guess that costs
 * milliseconds where a CSV is only known by parsing all of it. The caller checks the guess
 * against the days it then reads. Compressed files are not sampled (their end is not at hand).
 */
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDb, sqlString } from '../warehouse/duckdb.js';
import { type FocusFile, focusRelation } from './read-focus.js';

/** Bytes read at each end of a file. */
const SAMPLE_BYTES = 256 * 1024;
/** Files sampled at most (the most recently written). */
const MAX_FILES = 32;

/** The header and the whole lines of the file's start and end (null when it has no header line). */
async function ends(
  path: string,
  size: number,
): Promise<{ header: string; head: string; tail: string } | null> {
  const fh = await open(path, 'r');
  try {
    const read = async (position: number, length: number) => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, position);
      return buf.subarray(0, bytesRead).toString('utf8');
    };
    const start = await read(0, Math.min(size, SAMPLE_BYTES));
    const nl = start.indexOf('\n');
    if (nl < 0) return null;
    const header = start.slice(0, nl);
    const head = start.slice(nl + 1, start.lastIndexOf('\n') + 1);
    if (size <= SAMPLE_BYTES) return { header, head, tail: '' };
    // The end, not overlapping the start (a file under two samples long is read whole).
    const from = Math.max(SAMPLE_BYTES, size - SAMPLE_BYTES);
    const end = await read(from, size - from);
    // The first line of the end is cut: whole lines after it (none when one line fills it).
    const cut = end.indexOf('\n');
    return { header, head, tail: cut < 0 ? '' : end.slice(cut + 1) };
  } finally {
    await fh.close();
  }
}

export async function sampledLatestDay(
  db: DuckDb,
  files: FocusFile[],
  today: string,
): Promise<string | null> {
  const csv = files
    .filter((f) => f.format === 'csv' && !/\.gz$/i.test(f.path))
    .sort((a, b) => b.mtimeMs - a.mtimeMs)
    .slice(0, MAX_FILES);
  if (csv.length === 0) return null;
  const dir = await mkdtemp(join(tmpdir(), 'spendbrief-sample-'));
  try {
    const samples: FocusFile[] = [];
    for (const f of csv) {
      const e = await ends(f.path, f.size).catch(() => null);
      if (!e) continue;
      for (const [part, rows] of [
        ['head', e.head],
        ['tail', e.tail],
      ] as const) {
        if (!rows.trim()) continue;
        const path = join(dir, `${samples.length}-${part}.csv`);
        await writeFile(path, `${e.header}\n${rows}`);
        samples.push({ path, format: 'csv', size: rows.length, mtimeMs: 0, sniffed: f.sniffed });
      }
    }
    if (samples.length === 0) return null;
    const rel = await focusRelation(db, samples, 'sample');
    const [row] = await db.all<{ d: string | null }>(
      `SELECT strftime(max(day) FILTER (WHERE day <= DATE ${sqlString(today)}), '%Y-%m-%d') AS d FROM (${rel.sql})`,
    );
    return row?.d ?? null;
  } catch {
    // A sample that does not parse (a quoted line break cut in two) is no guess, not an error.
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
