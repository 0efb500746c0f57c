/**
 * AWS SDK errors -> one line that says what to do. Throttling has already been retried by the
 * SDK's adaptive retry strategy when it reaches here.
 */
import { CodedError, ErrorCode } from '../errors.js';

export function describeAwsError(e: unknown, ctx: { service: string; permission: string }): CodedError {
  const name = (e as { name?: string })?.name ?? '';
  const message = (e as { message?: string })?.message ?? String(e);
  const fail = (code: (typeof ErrorCode)[keyof typeof ErrorCode], text: string) =>
    new CodedError(code, text, { cause: e });
  if (/AccessDenied|UnauthorizedOperation/i.test(name)) {
    return fail(
      ErrorCode.UpstreamAuth,
      `${ctx.service} refused access: the AWS identity needs the ${ctx.permission} permission (${name})`,
    );
  }
  if (
    /ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch|CredentialsProviderError|AuthFailure/i.test(
      name,
    )
  ) {
    return fail(
      ErrorCode.UpstreamAuth,
      `AWS credentials are missing, invalid or expired (${name}): refresh them (aws sso login, or set AWS_PROFILE / AWS_ACCESS_KEY_ID)`,
    );
  }
  if (name === 'DataUnavailableException') {
    return fail(
      ErrorCode.Upstream,
      `${ctx.service} has no data for that period: enable Cost Explorer in the Billing console and allow 24 hours for data to appear`,
    );
  }
  if (/tag/i.test(message) && /ValidationException|BillingViewHealthStatus/i.test(name)) {
    return fail(
      ErrorCode.Upstream,
      `${ctx.service} does not know that tag: activate it under Billing > Cost allocation tags (and allow 24 hours): ${message}`,
    );
  }
  if (/Throttling|LimitExceeded|TooManyRequests|RequestLimitExceeded/i.test(name)) {
    return fail(
      ErrorCode.Upstream,
      `${ctx.service} is throttling requests even after retries: try again in a minute`,
    );
  }
  return fail(ErrorCode.Upstream, `${ctx.service} failed: ${name ? `${name}: ` : ''}${message}`);
}
