/**
 * The commander program: options of DESIGN.md, validated where they are read. The configuration
 * is validated before any command runs (`preAction`), and the report dependencies are built from
 * it once (reports/wire.ts): the CLI's half of the composition root.
 */
import { Command } from 'commander';
import { type Config, loadConfig } from '../config.js';
import type { ReportDeps } from '../reports/deps.js';
import { parseSource } from '../reports/source.js';
import { createReportDeps } from '../reports/wire.js';
import { registerAlerts } from './commands/alerts.js';
import { registerBackup } from './commands/backup.js';
import { registerAllocate, registerCarbon } from './commands/carbon.js';
import { registerDigest } from './commands/digest.js';
import { registerDimensions } from './commands/dimensions.js';
import { registerDoctor } from './commands/doctor.js';
import { registerDrivers } from './commands/drivers.js';
import { registerMcp } from './commands/mcp.js';
import { registerModel } from './commands/model.js';
import { registerServe } from './commands/serve.js';
import { registerShowback } from './commands/showback.js';
import { registerSources } from './commands/sources.js';
import { registerSync } from './commands/sync.js';
import type { CliContext, CliDeps } from './options.js';

export function buildProgram(deps: CliDeps): Command {
  let config: Config | undefined;
  let reports: ReportDeps | undefined;
  const ctx: CliContext = {
    ...deps,
    config: () => {
      config ??= loadConfig(deps.env);
      return config;
    },
    reports: () => {
      reports ??= createReportDeps(ctx.config(), {
        log: deps.log,
        now: deps.now,
        onSourceRead: deps.onSourceRead,
      });
      return reports;
    },
    source: (option) => {
      if (option) return option;
      const configured = ctx.config().SPENDBRIEF_SOURCE;
      return configured ? parseSource(configured) : { kind: 'demo' };
    },
  };
  const program = new Command('spendbrief')
    .description('Explains cloud spend: why it moved, what drives it, what it cost the planet.')
    .version('0.1.0')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (s) => deps.stdout(s),
      // main.ts prints the one error line itself.
      writeErr: () => {},
      outputError: () => {},
    })
    // Every command starts from a validated configuration (doctor reports a bad one as its first line).
    .hook('preAction', (_program, command) => {
      if (command.name() !== 'doctor') ctx.config();
    });
  registerDrivers(program, ctx);
  registerDigest(program, ctx);
  registerModel(program, ctx);
  registerCarbon(program, ctx);
  registerAllocate(program, ctx);
  registerAlerts(program, ctx);
  registerShowback(program, ctx);
  registerDimensions(program, ctx);
  registerSync(program, ctx);
  registerSources(program, ctx);
  registerServe(program, ctx);
  registerMcp(program, ctx);
  registerBackup(program, ctx);
  registerDoctor(program, ctx);
  for (const c of program.commands)
    c.exitOverride().showSuggestionAfterError().configureOutput(program.configureOutput());
  return program;
}
