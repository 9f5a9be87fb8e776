/**
 * No output of pyward holds a credential it found: every CLI format (text, JSON, SARIF, and github-review,
 * which is what the App posts as check run and review) on the secrets fixtures, as a tree scan and as a
 * `--diff` review, stdout and stderr, is searched for every raw value and for its random middle part.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tempTree, writeTree } from '../helpers/cli.js';
import { expandFakes, fakeCredentials, rawValues } from '../helpers/fake-credentials.js';

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() };
const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, env: GIT_ENV });

const F = fakeCredentials();
const FIXTURES = join(process.cwd(), 'test/fixtures/secrets');
/** The PW403 passwords of the fixtures. */
const PASSWORDS = ['Vq8rT2mZk4Lp', 'W9xkz2Qp7', 'Hk3nP9wQzT', 'Xq7mZ2pL9v'];

/** A settings module and API client with the credentials written plainly, as a leak would be. */
const SETTINGS = `import os
import requests

GITHUB_TOKEN = "${F.ghp}"
DATABASE_URL = "postgresql://shop:${PASSWORDS[0]}@db.internal.shop.io:5432/shop"
PRIVATE_KEY = """${F.pemRsa}"""
AWS = {"aws_access_key_id": "${F.awsKeyId}", "aws_secret_access_key": "${F.awsSecret}"}


def me():
    return requests.get("https://api.github.com/user", headers={"Authorization": "token ${F.gho}"})


def notify(text, password="${F.stripeLive}"):
    return requests.post("${F.slackWebhook}", json={"text": text}, timeout=5)
`;

function files(): Record<string, string> {
  const out: Record<string, string> = { 'shop/settings.py': SETTINGS };
  for (const name of readdirSync(FIXTURES).filter((f) => !f.endsWith('.annotations.json'))) out[`deploy/${name}`] = expandFakes(readFileSync(join(FIXTURES, name), 'utf8'));
  return out;
}

const secrets = [...rawValues(), ...PASSWORDS];
const middles = rawValues().filter((v) => v.length > 20).map((v) => v.slice(8, -4));

function expectNoSecret(output: string): void {
  for (const value of secrets) expect(output.includes(value) ? value : undefined).toBeUndefined();
  for (const part of middles) expect(output.includes(part) ? part : undefined).toBeUndefined();
}

describe('no raw credential in any output', () => {
  const tree = tempTree(files());

  it.each(['text', 'json', 'sarif'])('tree scan, %s', async (format) => {
    const run = await runCli(['scan', '--format', format, '.'], tree);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/PW401/);
    expect(run.stdout).toMatch(/PW402/);
    expect(run.stdout).toMatch(/PW403/);
    expectNoSecret(run.stdout + run.stderr);
  });

  const repo = mkdtempSync(join(tmpdir(), 'pyward-secrets-'));
  git(repo, 'init', '-q', '-b', 'main');
  writeTree(repo, { 'README.md': '# shop\n' });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'base');
  git(repo, 'checkout', '-q', '-b', 'pr');
  writeTree(repo, files());
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'pr');

  it.each(['github-review', 'text', 'json', 'sarif'])('--diff review, %s', async (format) => {
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', format], repo);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/PW401/);
    expectNoSecret(run.stdout + run.stderr);
  });

  it('the review comments one entry per leaked credential, on the config files too, and says to rotate', async () => {
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'github-review'], repo);
    const review = JSON.parse(run.stdout) as { review: { comments: { path: string; line: number; body: string }[] } };
    const paths = new Set(review.review.comments.filter((c) => /PW40[123]/.test(c.body)).map((c) => c.path));
    expect(paths).toEqual(new Set(['shop/settings.py', 'deploy/.env', 'deploy/docker-compose.yml', 'deploy/ci.yml', 'deploy/service-account.json', 'deploy/settings.ini', 'deploy/config.toml', 'deploy/app.properties']));
    // B105 on GITHUB_TOKEN is covered by PW401: one comment on that line.
    expect(review.review.comments.filter((c) => c.path === 'shop/settings.py' && c.line === 4).length).toBe(1);
    expect(review.review.comments.find((c) => c.path === 'deploy/.env' && /GitHub/.test(c.body))?.body).toMatch(/Revoke or rotate it now/);
  });
});
