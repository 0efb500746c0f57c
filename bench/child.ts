/**
 * One measured task in a fresh process, so that its peak RSS is its own. Prints one JSON line:
 * { ms: [...per repetition], maxRssMb }.
 *
 *   floor <parquet> <today>            DuckDB's own GROUP BY of the per-line, per-window aggregation
 *   drivers <parquet> <today>          `spendbrief drivers --format json` through the CLI program
 *   digest <parquet> <today> <outdir>  `spendbrief digest --out` with every chart rendered
 */
import { buildProgram } from '../src/cli/program.js';
import { DuckDb } from '../src/integrations/warehouse/duckdb.js';
import { KIND_SQL, teamSql } from '../src/integrations/warehouse/sql.js';

const [mode, file, today, out] = process.argv.slice(2) as [string, string, string, string | undefined];
const reps = Number(process.env.BENCH_REPS ?? 3);

/** The same aggregation the warehouse pushes down, written directly against the Parquet file. */
async function floor(): Promise<void> {
  const db = await DuckDb.open();
  await db.all(`SELECT 1`);
  await db.all(
    `SELECT ServiceName, SubAccountId, RegionId, ${teamSql('team').replaceAll('tags', 'Tags')} AS team, SkuId, ResourceId,
       ${KIND_SQL.replaceAll('category', 'ChargeCategory')} AS kind,
       fsum(BilledCost) FILTER (WHERE d BETWEEN DATE '2026-09-25' AND DATE '2026-10-24') AS prev_spend,
       fsum(BilledCost) FILTER (WHERE d BETWEEN DATE '2026-10-25' AND DATE '2026-11-23') AS cur_spend,
       fsum(ConsumedQuantity) FILTER (WHERE d BETWEEN DATE '2026-09-25' AND DATE '2026-10-24') AS prev_qty,
       fsum(ConsumedQuantity) FILTER (WHERE d BETWEEN DATE '2026-10-25' AND DATE '2026-11-23') AS cur_qty
     FROM (SELECT *, CAST(ChargePeriodStart AS DATE) AS d FROM read_parquet('${file}'))
     WHERE d BETWEEN DATE '2026-09-25' AND DATE '2026-11-23' AND BillingCurrency = 'USD'
     GROUP BY ALL`,
  );
  db.close();
}

async function cli(args: string[]): Promise<void> {
  let bytes = 0;
  const program = buildProgram({
    stdout: (s) => {
      bytes += s.length;
    },
    log: () => {},
    env: {},
  });
  await program.parseAsync(['node', 'spendbrief', ...args]);
  if (bytes === 0) throw new Error('no output');
}

const tasks: Record<string, () => Promise<void>> = {
  floor,
  drivers: () =>
    cli(['drivers', '--source', `focus:${file}`, '--today', today, '--window', '30d', '--format', 'json']),
  digest: () =>
    cli([
      'digest',
      '--source',
      `focus:${file}`,
      '--today',
      today,
      '--out',
      out ?? '/tmp/spendbrief-bench-digest',
    ]),
};

const ms: number[] = [];
for (let i = 0; i < reps; i++) {
  const t = performance.now();
  await tasks[mode]!();
  ms.push(performance.now() - t);
}
process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
