/**
 * MCP over Streamable HTTP on `serve`'s own server, at /mcp, when SPENDBRIEF_MCP_TOKEN is set:
 * stateless (a new MCP server and transport for each request, as the SDK requires), a bearer token
 * compared in constant time, the Host header checked against this server's names (DNS rebinding),
 * JSON answers. GET and DELETE (sessions, streams) are not offered: 405.
 */
import { timingSafeEqual } from 'node:crypto';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { describeError } from '../errors.js';
import { createMcpServer } from './server.js';
import type { ToolContext } from './tools.js';

const unauthorized = (res: Response) =>
  res
    .status(401)
    .set('WWW-Authenticate', 'Bearer')
    .json({
      jsonrpc: '2.0',
      error: { code: -32001, message: 'Unauthorized: a bearer token (SPENDBRIEF_MCP_TOKEN) is required' },
      id: null,
    });

export function mcpRouter(o: {
  token: string;
  ctx: ToolContext;
  version: string;
  /** Names this server answers to besides localhost (SPENDBRIEF_PUBLIC_URL's host). */
  hosts: string[];
  log: (line: string, fields?: Record<string, unknown>) => void;
}): Router {
  const router = express.Router();
  const expected = Buffer.from(o.token);
  const bearer = (req: Request, res: Response, next: NextFunction) => {
    const given = Buffer.from(String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      o.log('mcp: refused a request without the right bearer token (401)', { level: 'warn' });
      unauthorized(res);
      return;
    }
    next();
  };
  const hostCheck = hostHeaderValidation(['localhost', '127.0.0.1', '[::1]', ...o.hosts]);
  router.post(
    '/mcp',
    hostCheck,
    bearer,
    express.json({ limit: '1mb' }),
    async (req: Request, res: Response) => {
      const server = createMcpServer(o.ctx, o.version);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      try {
        await server.connect(transport);
        await transport.handleRequest(req, res, req.body);
      } catch (e) {
        o.log(`mcp: ${describeError(e)}`, { level: 'error' });
        if (!res.headersSent)
          res
            .status(500)
            .json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null });
      }
    },
  );
  const notAllowed = (_req: Request, res: Response) => {
    res
      .status(405)
      .set('Allow', 'POST')
      .json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null });
  };
  router.get('/mcp', notAllowed);
  router.delete('/mcp', notAllowed);
  return router;
}
