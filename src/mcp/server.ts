/**
 * The MCP server on the official TypeScript SDK: the tools of tools.ts, each advertised with its
 * full input schema (JSON Schema from zod, descriptions a model can act on) and an output schema,
 * read-only. Arguments are validated here rather than by the SDK, so a bad one is a tool error
 * (`isError`) with one line, as the CLI says it, never a protocol error or a multi-line dump.
 *
 *   stdio        `spendbrief mcp`: the configured source synced into SPENDBRIEF_DB at start, then
 *                every call answered from the warehouse
 *   HTTP         `serve` at /mcp (http.ts), stateless Streamable HTTP, a bearer token required
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { describeError } from '../errors.js';
import { contextLine, type Report } from '../reports/report.js';
import { TOOLS, type ToolContext } from './tools.js';

/** The SDK accepts any object; tools/list shows the strict schema's JSON Schema. */
function advertised(strict: z.ZodObject): z.ZodObject {
  const { $schema: _drop, ...json } = z.toJSONSchema(strict, { io: 'input' }) as Record<string, unknown>;
  return z.looseObject({}).meta(json);
}

/** The structured result: an object with a scope, as every report's JSON is. */
const OUTPUT = z.looseObject({
  scope: z
    .union([
      z.null(),
      z.object({ where: z.array(z.object({ dimension: z.string(), values: z.array(z.string()) })) }),
    ])
    .describe('null, or the where list the report read'),
});

/** Every issue on one line: `field: message; field: message`. */
const oneLine = (e: z.ZodError): string =>
  e.issues
    .map((i) => `${i.path.length ? i.path.join('.') : 'arguments'}: ${i.message}`)
    .join('; ')
    .replace(/\s+/g, ' ');

/** The report's title, its first context line and its KPIs: what a model reads before the JSON. */
export function summary(report: Report): string {
  return [
    report.title,
    contextLine(report),
    ...report.kpis.map((k) => `${k.label}: ${k.value}${k.detail ? ` (${k.detail})` : ''}`),
  ].join('\n');
}

export function createMcpServer(ctx: ToolContext, version: string): McpServer {
  const server = new McpServer({ name: 'spendbrief', version });
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: advertised(tool.input),
        outputSchema: OUTPUT,
        annotations: { readOnlyHint: true, openWorldHint: false, title: tool.title },
      },
      async (args: Record<string, unknown>) => {
        const parsed = tool.input.safeParse(args ?? {});
        if (!parsed.success)
          return {
            isError: true,
            content: [{ type: 'text' as const, text: `${tool.name}: ${oneLine(parsed.error)}` }],
          };
        try {
          const slow = await ctx.ready?.();
          if (slow)
            return { isError: true, content: [{ type: 'text' as const, text: `${tool.name}: ${slow}` }] };
          const out = await tool.run(parsed.data, ctx);
          return {
            structuredContent: out.json as Record<string, unknown>,
            content: [{ type: 'text' as const, text: summary(out.report) }],
          };
        } catch (e) {
          return {
            isError: true,
            content: [{ type: 'text' as const, text: `${tool.name}: ${describeError(e)}` }],
          };
        }
      },
    );
  }
  return server;
}
