/** AWS errors -> one line saying what to do, for the cases no loopback server can produce. */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { describeAwsError } from '../../src/integrations/aws-errors.js';

const err = (name: string, message = 'x') => Object.assign(new Error(message), { name });

describe('describeAwsError', () => {
  it('EC2 UnauthorizedOperation names the permission', () => {
    const e = describeAwsError(
      err('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
      { service: 'EC2 (eu-west-1)', permission: 'ec2:DescribeInstances' },
    );
    expect(e.code).toBe(ErrorCode.UpstreamAuth);
    expect(e.message).toBe(
      'EC2 (eu-west-1) refused access: the AWS identity needs the ec2:DescribeInstances permission (UnauthorizedOperation)',
    );
  });

  it('missing credentials from the provider chain say how to get some', () => {
    expect(
      describeAwsError(err('CredentialsProviderError', 'Could not load credentials from any providers'), {
        service: 'Cost Explorer',
        permission: 'ce:GetCostAndUsage',
      }).message,
    ).toMatch(/^AWS credentials are missing, invalid or expired \(CredentialsProviderError\): refresh them/);
  });

  it('anything else keeps the service and the original text', () => {
    expect(
      describeAwsError(err('InternalFailure', 'boom'), { service: 'Cost Explorer', permission: 'p' }).message,
    ).toBe('Cost Explorer failed: InternalFailure: boom');
  });
});
