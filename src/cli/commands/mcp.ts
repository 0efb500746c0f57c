/**
 * `spendbrief mcp`: the reports as MCP tools over stdio, for an AI assistant. The configured source
 * is synced into SPENDBRIEF_DB once at start; every call then reads the warehouse. stdout carries
 * the protocol only; progress goes to stderr.
 */
import type { Command } from 'commander';
import { CodedError, ErrorCode } from '../../errors.js';
import { type CliContext, sourceOption } from '../options.js';

export function registerMcp(program: Command, ctx: CliContext): void {
  program
    .command('mcp')
    .description(
      'serve the reports as MCP tools over stdio (drivers, anomalies, forecast, budgets, carbon, showback, dimensions)',
    )
    .addOption(sourceOption())
    .action(async (opts) => {
      // The SDK, and the server's pieces, load for this command only.
      const [
        { StdioServerTransport },
        { createMcpServer },
        { mcpScope },
        { DuckDb },
        { migrate },
        { createReportDeps },
      ] = await Promise.all([
        import('@modelcontextprotocol/sdk/server/stdio.js'),
        import('../../mcp/server.js'),
        import('../../mcp/scope.js'),
        import('../../integrations/warehouse/duckdb.js'),
        import('../../integrations/warehouse/migrations.js'),
        import('../../reports/wire.js'),
      ]);
      const config = ctx.config();
      const source = ctx.source(opts.source);
      let db: Awaited<ReturnType<typeof DuckDb.open>>;
      try {
        db = await DuckDb.open(config.SPENDBRIEF_DB, { memoryLimit: config.SPENDBRIEF_MEMORY_LIMIT });
      } catch (e) {
        if ((e as CodedError).code === ErrorCode.Busy)
          throw new CodedError(
            ErrorCode.Busy,
            `${config.SPENDBRIEF_DB} is held by a running server: use its /mcp endpoint (set SPENDBRIEF_MCP_TOKEN where serve runs), or point SPENDBRIEF_DB at another file`,
          );
        throw e;
      }
      await migrate(db, config.SPENDBRIEF_DB);
      const deps = createReportDeps(config, { log: ctx.log, now: ctx.now, shared: db });
      const today = () => (ctx.now?.() ?? new Date()).toISOString().slice(0, 10);
      try {
        const r = await deps.warehouses.sync(source, { today: today(), progress: ctx.log });
        ctx.log(`mcp: ${r.summary}`);
      } catch (e) {
        ctx.log(
          `mcp: the sync of the source failed; the tools answer from what the warehouse holds: ${(e as Error).message}`,
        );
      }
      const server = createMcpServer(
        { deps, source, scope: mcpScope(config.SPENDBRIEF_MCP_SCOPE), today },
        program.version() ?? '0',
      );
      await server.connect(new StdioServerTransport());
      ctx.log('mcp: serving over stdio');
      await new Promise<void>((resolve) => {
        process.stdin.once('end', () => resolve());
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
      });
      await server.close();
      db.close();
    });
}
