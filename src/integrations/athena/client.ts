/**
 * One Athena query, start to rows: StartQueryExecution, GetQueryExecution polled with back-off
 * (0.2 s growing to 5 s), GetQueryResults paged by NextToken. A query that FAILED or was
 * CANCELLED is one line with Athena's reason; one that runs past the time limit is stopped
 * (StopQueryExecution), never left running and billing. Throttling is the SDK's own retries.
 */
import {
  type AthenaClient,
  AthenaClient as Client,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CodedError, ErrorCode } from '../../errors.js';
import { quietAwsNodeWarning } from '../aws-node-warning.js';

export interface AthenaOptions {
  client: AthenaClient;
  workGroup: string;
  /** s3:// results location; without it the workgroup's own is used. */
  outputLocation?: string;
  database: string;
  /** Stop a query that runs longer (ms). */
  timeoutMs: number;
  /** Polling back-off (tests shorten it). */
  pollMs?: { first: number; max: number };
}

export interface AthenaResult {
  queryId: string;
  columns: { name: string; type: string }[];
  /** Every row after the header, as Athena's strings (null for SQL NULL). */
  rows: (string | null)[][];
  bytesScanned: number;
}

const awsMessage = (e: unknown) => (e as { message?: string }).message?.split('\n')[0] ?? String(e);

export async function runAthenaQuery(sql: string, o: AthenaOptions): Promise<AthenaResult> {
  let started: string;
  try {
    const r = await o.client.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: o.workGroup,
        QueryExecutionContext: { Database: o.database },
        ...(o.outputLocation ? { ResultConfiguration: { OutputLocation: o.outputLocation } } : {}),
      }),
    );
    started = r.QueryExecutionId!;
  } catch (e) {
    throw new CodedError(
      (e as { name?: string }).name === 'AccessDeniedException' ? ErrorCode.UpstreamAuth : ErrorCode.Upstream,
      `Athena refused the query in workgroup ${o.workGroup}: ${awsMessage(e)}`,
    );
  }
  const execution = await waitFor(started, o);
  const rows: (string | null)[][] = [];
  let columns: AthenaResult['columns'] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await o.client.send(
      new GetQueryResultsCommand({ QueryExecutionId: started, NextToken: token, MaxResults: 1000 }),
    );
    if (first)
      columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({
        name: c.Name ?? '',
        type: c.Type ?? 'varchar',
      }));
    const data = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
    // The first row of the first page is the header.
    rows.push(...(first ? data.slice(1) : data));
    first = false;
    token = page.NextToken;
  } while (token);
  return { queryId: started, columns, rows, bytesScanned: execution.Statistics?.DataScannedInBytes ?? 0 };
}

async function waitFor(id: string, o: AthenaOptions): Promise<QueryExecution> {
  const deadline = Date.now() + o.timeoutMs;
  let delay = o.pollMs?.first ?? 200;
  for (;;) {
    const r = await o.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const q = r.QueryExecution!;
    const state = q.Status?.State;
    if (state === 'SUCCEEDED') return q;
    if (state === 'FAILED' || state === 'CANCELLED')
      throw new CodedError(
        ErrorCode.Upstream,
        `Athena query ${id} ${state.toLowerCase()}: ${q.Status?.StateChangeReason ?? q.Status?.AthenaError?.ErrorMessage ?? 'no reason given'}`,
      );
    if (Date.now() + delay > deadline) {
      await o.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => {});
      throw new CodedError(
        ErrorCode.Upstream,
        `Athena query ${id} ran past ${Math.round(o.timeoutMs / 1000)} s and was stopped (SPENDBRIEF_ATHENA_TIMEOUT); narrow SPENDBRIEF_ATHENA_DAYS or check the table's partitions`,
      );
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(o.pollMs?.max ?? 5000, delay * 1.5);
  }
}

/** The client with the SDK's own credential chain, region and endpoint (AWS_ENDPOINT_URL_ATHENA). */
export function createAthenaClient(region?: string): AthenaClient {
  quietAwsNodeWarning();
  // Throttling (TooManyRequestsException, ThrottlingException) is retried by the SDK, adaptively.
  return new Client({ maxAttempts: 6, retryMode: 'adaptive', ...(region ? { region } : {}) });
}
