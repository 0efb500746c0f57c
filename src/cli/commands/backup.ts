/**
 * `spendbrief backup <file>`: a consistent copy of SPENDBRIEF_DB. Without a server it copies the
 * file itself; while `serve` holds it (DuckDB lets one process write), it asks that server, on
 * this machine, with the token the server wrote beside the warehouse.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CodedError, ErrorCode } from '../../errors.js';
import { adminFileOf, backupTo } from '../../integrations/warehouse/backup.js';
import { DuckDb } from '../../integrations/warehouse/duckdb.js';
import type { CliContext } from '../options.js';

export function registerBackup(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description('write a consistent copy of the warehouse (SPENDBRIEF_DB), also while serve runs')
    .argument('<file>', 'the new DuckDB file to write')
    .action(async (file: string) => {
      const path = ctx.config().SPENDBRIEF_DB;
      if (!DuckDb.exists(path))
        throw new CodedError(
          ErrorCode.SourceMissing,
          `there is no warehouse at ${path} (SPENDBRIEF_DB) to back up`,
        );
      const target = resolve(file);
      let db: DuckDb | null = null;
      try {
        db = await DuckDb.open(path, { memoryLimit: ctx.config().SPENDBRIEF_MEMORY_LIMIT });
      } catch (e) {
        if ((e as CodedError).code !== ErrorCode.Busy) throw e;
      }
      if (db) {
        try {
          const out = await backupTo(db, target);
          ctx.log(`backup: ${out.path} written (${out.tables} tables)`);
        } finally {
          db.close();
        }
        return;
      }
      const admin = adminFileOf(path);
      if (!admin || !existsSync(admin))
        throw new CodedError(
          ErrorCode.Busy,
          `${path} is held by another process that is not a spendbrief serve of this version; stop it and run backup again`,
        );
      const { port, token } = JSON.parse(readFileSync(admin, 'utf8')) as { port: number; token: string };
      const res = await fetch(`http://127.0.0.1:${port}/admin/backup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ path: target }),
      }).catch((e: Error) => {
        throw new CodedError(
          ErrorCode.Upstream,
          `the serve process holding ${path} did not answer on port ${port}: ${e.message}`,
        );
      });
      const body = (await res.json()) as { path?: string; tables?: number; error?: string };
      if (!res.ok)
        throw new CodedError(ErrorCode.BadInput, `backup by the running server failed: ${body.error}`);
      ctx.log(`backup: ${body.path} written by the running server (${body.tables} tables)`);
    });
}
