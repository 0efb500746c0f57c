/**
 * Posting a rendered report to Slack. Charts are uploaded with files.uploadV2 without a channel
 * (getUploadURLExternal -> upload -> completeUploadExternal) and shown inline by image blocks that
 * reference the uploaded file (`slack_file: { id }`): the approach Slack documents today for
 * images in Block Kit, with no public URL needed. A freshly uploaded file can take a moment to be
 * ready for a block, so `invalid_blocks` is retried briefly.
 */
import type { webApi } from '@slack/bolt';
import { renderBlocks } from '../../render/blocks.js';
import type { RenderedReport } from '../assistant.js';

type WebClient = webApi.WebClient;

export async function uploadCharts(
  client: WebClient,
  rendered: RenderedReport,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [id, png] of rendered.images) {
    const res = (await client.files.uploadV2({ file: png, filename: `${id}.png`, title: id })) as unknown as {
      files: { files?: { id: string }[] }[];
    };
    const fileId = res.files[0]?.files?.[0]?.id;
    if (fileId) ids.set(id, fileId);
  }
  return ids;
}

const isInvalidBlocks = (e: unknown): boolean =>
  (e as { data?: { error?: string } })?.data?.error === 'invalid_blocks';

/** Uploads the charts, posts the message (in a thread when `threadTs` is given) and returns its ts. */
export async function postReport(
  client: WebClient,
  channel: string,
  rendered: RenderedReport,
  opts: { threadTs?: string; retryDelayMs?: number } = {},
): Promise<string> {
  const files = await uploadCharts(client, rendered);
  const { text, blocks } = renderBlocks(rendered.report, (chart) => {
    const id = files.get(chart.id);
    return id ? { slackFileId: id } : null;
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await client.chat.postMessage({
        channel,
        text,
        blocks,
        ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
      });
      return String(res.ts);
    } catch (e) {
      if (!isInvalidBlocks(e) || attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, (opts.retryDelayMs ?? 1000) * (attempt + 1)));
    }
  }
}
