import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { readSettings, SettingsError } from '../../infra/settings.ts';

const read = (context: Record<string, unknown>) => readSettings(new App({ context }).node);

describe('deployment settings from -c context', () => {
  it('default to an env-agnostic stack named Newswire, logging at info, no extras', () => {
    assert.deepEqual(read({}), {
      stackName: 'Newswire',
      accessLogs: false,
      logLevel: 'info',
      allowExampleValues: false,
      waf: false,
      wafRateLimit: 3000,
      originKeyGeneration: 1,
    });
  });

  it('read the WAF option: a web ACL of its own with a rate limit per address, or the ARN of yours, not both', () => {
    assert.equal(read({ waf: 'true' }).waf, true);
    assert.equal(read({ waf: 'true' }).wafRateLimit, 3000, 'the default, 10 requests/s over 5 minutes');
    assert.equal(read({ waf: 'true', wafRateLimit: '600' }).wafRateLimit, 600);
    assert.equal(read({ waf: true, wafRateLimit: 100 }).wafRateLimit, 100, 'values from cdk.json');
    for (const bad of ['99', '2000000001', '1e4', 'many']) {
      assert.throws(() => read({ waf: 'true', wafRateLimit: bad }), /wafRateLimit.*100 to 2000000000/);
    }
    assert.throws(() => read({ wafRateLimit: '600' }), /wafRateLimit.*needs waf=true/);
    assert.throws(
      () =>
        read({
          waf: 'true',
          webAclArn:
            'arn:aws:wafv2:us-east-1:123456789012:global/webacl/mine/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
        }),
      /waf=true.*webAclArn.*exclude each other/,
    );
  });

  it('read the origin key generation: a whole number, raised by one to rotate the key', () => {
    assert.equal(read({ originKeyGeneration: '4' }).originKeyGeneration, 4);
    assert.equal(read({ originKeyGeneration: 2 }).originKeyGeneration, 2, 'a number from cdk.json');
    for (const bad of ['0', '-1', 'two', '1.5']) {
      assert.throws(() => read({ originKeyGeneration: bad }), /originKeyGeneration/);
    }
  });

  it('read the operations options: a restored table, reserved write concurrency, example values', () => {
    const settings = read({
      tableName: 'newswire-restored',
      writeConcurrency: '20',
      allowExampleValues: 'true',
    });
    assert.equal(settings.tableName, 'newswire-restored');
    assert.equal(settings.writeConcurrency, 20);
    assert.equal(settings.allowExampleValues, true);
    assert.equal(read({ writeConcurrency: 5 }).writeConcurrency, 5, 'a number from cdk.json');
    assert.throws(() => read({ writeConcurrency: '0' }), /writeConcurrency/);
    assert.throws(() => read({ tableName: 'no spaces allowed' }), /tableName/);
  });

  it('read every option', () => {
    const settings = read({
      domainName: 'news.example.org',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      alarmEmail: 'oncall@example.org',
      originShieldRegion: 'eu-central-1',
      accessLogs: 'true',
      logLevel: 'debug',
      region: 'eu-west-1',
      account: '123456789012',
    });
    assert.equal(settings.domainName, 'news.example.org');
    assert.equal(settings.accessLogs, true);
    assert.equal(settings.logLevel, 'debug');
    assert.equal(settings.originShieldRegion, 'eu-central-1');
  });

  it('refuse a certificate outside us-east-1, naming the key', () => {
    assert.throws(
      () =>
        read({
          domainName: 'news.example.org',
          certificateArn:
            'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
        }),
      (error: unknown) => error instanceof SettingsError && /certificateArn.*us-east-1/.test(error.message),
    );
  });

  it('refuse a domain without a certificate', () => {
    assert.throws(() => read({ domainName: 'news.example.org' }), /given together/);
  });

  it('refuse malformed values, naming the key', () => {
    assert.throws(() => read({ alarmEmail: 'not-an-address' }), /alarmEmail/);
    assert.throws(() => read({ logLevel: 'verbose' }), /logLevel/);
    assert.throws(() => read({ accessLogs: 'yes' }), /accessLogs/);
    assert.throws(() => read({ domainName: 'https://news.example.org', certificateArn: 'x' }), /domainName/);
  });
});
