/**
 * The Slack Web API methods spendbrief calls, each with the bot scopes it needs (api.slack.com's
 * method pages). `doctor` compares them with the token's granted scopes; a test scans the code for
 * every method it calls and holds this table and manifest.yml to them.
 */
export const METHOD_SCOPES: Record<string, string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  // files.uploadV2 is files.getUploadURLExternal then files.completeUploadExternal.
  'files.uploadV2': ['files:write'],
  // Finding its own digest after a crash: public and private channels (ADR 0004).
  'conversations.history': ['channels:history', 'groups:history'],
  // The agent view's suggested prompts.
  'assistant.threads.setSuggestedPrompts': ['assistant:write'],
};

/** Scopes that come with a feature rather than a method: /spend, and direct messages (message.im). */
export const FEATURE_SCOPES = ['commands', 'im:history'];

/** Every bot scope the code needs. */
export const neededScopes = (): string[] =>
  [...new Set([...FEATURE_SCOPES, ...Object.values(METHOD_SCOPES).flat()])].sort();
