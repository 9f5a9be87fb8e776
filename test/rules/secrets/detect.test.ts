/** The credential formats, by structure and checksum, and what stays quiet (pure detection, no engine). */
import { base62, crc32, hasBase62Crc32, isPypiMacaroon } from '../../../src/rules/secrets/checksums.js';
import { findSecrets, redactCredentials } from '../../../src/rules/secrets/detect.js';
import { isMarkedFakeFixture, isPlaceholder } from '../../../src/rules/secrets/placeholders.js';
import { fakeCredentials } from '../../helpers/fake-credentials.js';

const F = fakeCredentials();
const formats = (text: string, fileText?: string) => findSecrets(text, fileText ? { fileText } : {}).map((m) => m.format);

describe('checksums', () => {
  it('crc32 is zlib\'s', () => {
    expect(crc32('')).toBe(0);
    expect(crc32('123456789')).toBe(0xcbf43926); // the standard check value
  });

  it('base62 pads to the width', () => {
    expect(base62(0, 6)).toBe('000000');
    expect(base62(61, 2)).toBe('0z');
    expect(base62(0xffffffff, 6)).toBe('4gfFC3');
  });

  it.each([['ghp', true], ['gho', true], ['npm', true], ['ghpBroken', false], ['npmBroken', false]])('%s checksum valid: %s', (name, ok) => {
    expect(hasBase62Crc32(F[name])).toBe(ok);
  });

  it('a PyPI token is a macaroon for pypi.org', () => {
    expect(isPypiMacaroon(F.pypi)).toBe(true);
    expect(isPypiMacaroon(F.testPypi)).toBe(false);
    expect(isPypiMacaroon(`${F.pypi.slice(0, 60)}`)).toBe(false);
  });
});

describe('formats found by structure', () => {
  it.each([
    ['ghp', 'github-classic'],
    ['gho', 'github-classic'],
    ['ghs', 'github-classic'],
    ['githubPat', 'github-fine-grained'],
    ['glpat', 'gitlab-pat'],
    ['slackBot', 'slack-token'],
    ['slackWebhook', 'slack-webhook'],
    ['stripeLive', 'stripe-live'],
    ['stripeRestricted', 'stripe-live'],
    ['googleApiKey', 'google-api-key'],
    ['sendgrid', 'sendgrid'],
    ['openaiProject', 'openai'],
    ['openaiLegacy', 'openai'],
    ['anthropic', 'anthropic'],
    ['npm', 'npm'],
    ['pypi', 'pypi'],
    ['pemRsa', 'private-key'],
    ['pemPkcs8Json', 'private-key'],
    ['pemOpenssh', 'private-key'],
    ['awsKeyId', 'aws-access-key-id'],
  ])('%s -> %s', (name, format) => {
    expect(formats(`value = "${F[name]}"`)).toEqual([format]);
  });

  it('an AWS key id with its secret: both, at high confidence', () => {
    const found = findSecrets(`aws_access_key_id = ${F.awsKeyId}\naws_secret_access_key = ${F.awsSecret}\n`);
    expect(found.map((m) => [m.format, m.confidence])).toEqual([['aws-access-key-id', 'high'], ['aws-secret-access-key', 'high']]);
  });

  it('an AWS key id alone is medium confidence; 40 base64 characters alone are nothing', () => {
    expect(findSecrets(F.awsKeyId).map((m) => m.confidence)).toEqual(['medium']);
    expect(formats(F.awsSecret)).toEqual([]);
  });

  it('Twilio only in a file about Twilio with an account SID', () => {
    const file = `TWILIO_ACCOUNT_SID=${F.twilioSid}\nTWILIO_API_KEY=${F.twilioApiKey}\nTWILIO_AUTH_TOKEN=${F.twilioToken}\n`;
    expect(formats(file)).toEqual(['twilio-api-key', 'twilio-auth-token']);
    expect(formats(`md5 = "${F.twilioToken}"`)).toEqual([]);
    expect(formats(F.twilioToken, `import twilio\nsid = "${F.twilioSid}"`)).toEqual(['twilio-auth-token']);
  });

  it.each([
    ['postgresql://shop:Vq8rT2mZk4Lp@db.internal.shop.io:5432/shop', 'postgresql://shop:***@db.internal.shop.io'],
    ['amqp://worker:W9x!kz2Qp@rabbit.prod/vhost', 'amqp://worker:***@rabbit.prod'],
    ['redis://:Zr8mN2vQ7xLw4Kp9Tb3Hy6Jc@cache.prod:6379/0', 'redis://:***y6Jc@cache.prod'],
  ])('URL password %s', (url, redacted) => {
    const found = findSecrets(url);
    expect(found.map((m) => m.ruleId)).toEqual(['PW403']);
    expect(found[0].redacted).toBe(redacted);
  });
});

describe('quiet', () => {
  it.each([
    ['AWS documented example key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS documented example secret', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['a GitHub token with a broken checksum', F.ghpBroken],
    ['an npm token with a broken checksum', F.npmBroken],
    ['a Stripe test-mode key', F.stripeTest],
    ['a test.pypi.org token', F.testPypi],
    ['xxxx', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['repeated characters', 'AKIAAAAAAAAAAAAAAAAA'],
    ['a counting run', 'sk_live_0123456789abcdefghijklmn'],
    ['your-key', 'sk-proj-your-openai-key-goes-here-0000000000000000000000'],
    ['a template', 'glpat-${GITLAB_TOKEN_FROM_ENV_VAR}'],
    ['a PEM without a body', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----'],
    ['a public key', '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----'],
    ['a certificate', '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----'],
    ['${PASSWORD}', 'postgresql://shop:${DB_PASSWORD}@db.internal/shop'],
    ['%(password)s', 'postgresql://%(user)s:%(password)s@db.internal/shop'],
    ['<password>', 'mysql://root:<password>@db.internal/shop'],
    ['an f-string field', 'postgresql://{}:{}@{}/shop'],
    ['no password', 'postgresql://shop:@db.internal/shop'],
    ['localhost', 'postgresql://postgres:postgres@localhost:5432/test'],
    ['a documentation host', 'postgresql://alice:s3cr3tPassw0rd@db.example.com/app'],
    ['the word password', 'postgresql://user:password@db.internal/app'],
    ['a URL without a password', 'https://user@git.example.org/repo.git'],
  ])('%s', (_name, text) => {
    expect(findSecrets(text)).toEqual([]);
  });

  it.each([
    ['tests/fixtures/fake_tokens.py', true],
    ['tests/unit/test_client_dummy.py', true],
    ['app/fake_settings.py', false],
    ['tests/test_client.py', false],
  ])('%s is a marked fake fixture: %s', (path, marked) => {
    expect(isMarkedFakeFixture(path)).toBe(marked);
    expect(findSecrets(F.ghp, { path }).length).toBe(marked ? 0 : 1);
  });

  it.each(['<your-key>', 'changeme', '${VAR}', '{{ token }}', 'xxxxxxxxxxxxxxxx'])('%s is a placeholder', (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });
});

describe('redaction', () => {
  it('keeps the prefix and the last four characters', () => {
    expect(findSecrets(F.ghp)[0].redacted).toBe(`ghp_…${F.ghp.slice(-4)}`);
    expect(findSecrets(F.githubPat)[0].redacted).toBe(`github_pat_…${F.githubPat.slice(-4)}`);
    expect(findSecrets(F.slackWebhook)[0].redacted).toBe(`https://hooks.slack.com/services/…${F.slackWebhook.slice(-4)}`);
  });

  it('replaces every credential in a text and nothing else', () => {
    const text = `a=${F.ghp} b=${F.stripeLive} c=plain`;
    expect(redactCredentials(text)).toBe(`a=ghp_…${F.ghp.slice(-4)} b=sk_live_…${F.stripeLive.slice(-4)} c=plain`);
  });

  it('a token in a URL is reported as the token, not as a URL password', () => {
    expect(formats(`https://x-access-token:${F.ghs}@github.com/org/repo.git`)).toEqual(['github-classic']);
  });
});
