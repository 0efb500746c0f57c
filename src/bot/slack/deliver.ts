/**
 * Posting a rendered report to Slack. Charts are uploaded with files.uploadV2 without a channel
 * (getUploadURLExternal -> upload -> completeUploadExternal) and shown inline by image blocks that
 * reference the uploaded file (`slack_file: { id }`): the approach Slack documents today for images
 * in Block Kit, with no public URL needed. A freshly uploaded file can take a moment to be ready
 * for a block, so `invalid_blocks` is retried briefly (p-retry); 429s and network errors are the
 * WebClient's own retries.
 */
import type { webApi } from '@slack/bolt';
import pRetry, { AbortError } from 'p-retry';
import { renderBlocks, type SlackImage } from '../../render/blocks.js';
import type { RenderedReport } from '../assistant.js';

type WebClient = webApi.WebClient;

/** Message metadata: how a digest is recognised in the channel's history after a crash. */
export interface DigestMetadata {
  event_type: 'spendbrief_digest';
  event_payload: { channel: string; period: string };
}

export async function uploadCharts(
  client: WebClient,
  rendered: RenderedReport,
  chartUrl?: (png: Buffer) => Promise<string>,
): Promise<Map<string, SlackImage>> {
  const ids = new Map<string, SlackImage>();
  for (const [id, png] of rendered.images) {
    // Served by this app at an unguessable URL: Slack fetches it; nothing is uploaded.
    if (chartUrl) {
      ids.set(id, { url: await chartUrl(png) });
      continue;
    }
    const res = (await client.files.uploadV2({ file: png, filename: `${id}.png`, title: id })) as unknown as {
      files: { files?: { id: string }[] }[];
    };
    const fileId = res.files[0]?.files?.[0]?.id;
    if (fileId) ids.set(id, { slackFileId: fileId });
  }
  return ids;
}

const slackError = (e: unknown): string | undefined => (e as { data?: { error?: string } })?.data?.error;

/** Uploads the charts, posts the message (in a thread when `threadTs` is given) and returns its ts. */
export async function postReport(
  client: WebClient,
  channel: string,
  rendered: RenderedReport,
  opts: {
    threadTs?: string;
    retryDelayMs?: number;
    metadata?: DigestMetadata;
    /** A message of ours to replace with the report (the "syncing first" note). */
    updateTs?: string;
    /** Charts by URL instead of uploads (SPENDBRIEF_SLACK_IMAGES=url). */
    chartUrl?: (png: Buffer) => Promise<string>;
  } = {},
): Promise<string> {
  const files = await uploadCharts(client, rendered, opts.chartUrl);
  const { text, blocks } = renderBlocks(rendered.report, (chart) => files.get(chart.id) ?? null);
  return pRetry(
    async () => {
      try {
        if (opts.updateTs) {
          await client.chat.update({ channel, ts: opts.updateTs, text, blocks });
          return opts.updateTs;
        }
        const res = await client.chat.postMessage({
          channel,
          text,
          blocks,
          ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
          ...(opts.metadata ? { metadata: opts.metadata } : {}),
        });
        return String(res.ts);
      } catch (e) {
        if (slackError(e) !== 'invalid_blocks') throw new AbortError(e as Error);
        throw e;
      }
    },
    { retries: 3, minTimeout: opts.retryDelayMs ?? 1000, factor: 2 },
  );
}

/** The ts of this period's digest in the channel since `since`, or null (crash recovery, ADR 0004). */
export async function findDigest(
  client: WebClient,
  channel: string,
  period: string,
  since: Date,
): Promise<string | null> {
  let cursor: string | undefined;
  do {
    const res = await client.conversations.history({
      channel,
      oldest: (since.getTime() / 1000).toFixed(6),
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const m of res.messages ?? []) {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { period?: string } } })
        .metadata;
      if (meta?.event_type === 'spendbrief_digest' && meta.event_payload?.period === period)
        return String(m.ts);
    }
    cursor = res.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return null;
}
