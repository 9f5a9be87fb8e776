import { defineRule } from '../rule.js';
import { BANDIT_PASSWORD_CHECKS, commentSecretsHook, SECRET_REFERENCES, secretVisitors } from './string-secrets.js';

export const hardCodedCredential = defineRule({
  meta: {
    id: 'PW401',
    name: 'hard-coded-credential',
    severity: 'critical',
    confidence: 'high',
    cwe: 798,
    doc: {
      summary: 'A string that is a real credential by its structure: a cloud, GitHub, GitLab, Slack, Stripe, Google, SendGrid, Twilio, OpenAI, Anthropic, npm or PyPI key or token',
      why: 'A committed credential is public to everyone who can read the repository, its forks, clones, CI logs and backups, and stays in the git history after the line is deleted. Attackers scan public commits for these formats within minutes (AWS keys are abused to mine cryptocurrency, GitHub and npm/PyPI tokens to publish malicious releases). Unlike B105, which guesses from a variable name, this rule recognises the value itself: its prefix, length, alphabet, and the checksum that GitHub and npm tokens carry, whatever the variable is called. Checked in Python string literals (bytes, f-string text, implicit concatenations and docstrings too), in Python comments (a token pasted into a comment is in the history like any other), and in configuration files (`.env*`, YAML, JSON, INI, `.cfg`, TOML, `.properties`): in a review on the lines the change added, in a tree scan everywhere. Every output shows the prefix and last four characters only.',
      bad: 'import boto3\n\ns3 = boto3.client(\n    "s3",\n    aws_access_key_id="AKIA" "Q3EGRTD6NLZ4MXYB",\n    aws_secret_access_key="9dGk2Lq" "Xv7RbT0wYp3sZc8Hn1Fm4Ja6Ue5Wi2Ko3",\n)',
      good: 'import boto3\n\n# Credentials come from the environment, ~/.aws or the instance role.\ns3 = boto3.client("s3")',
      fix: 'Revoke or rotate the credential at its provider first (it stays in the git history), then read it at run time from the environment or a secrets manager.',
      references: SECRET_REFERENCES,
      banditDifferences: 'Not a Bandit check. Bandit\'s B105/B106/B107 guess from the variable name (`password`, `token`); where one of them flags the same literal, reviews show this finding only (JSON and SARIF keep both) and `# nosec B105` silences both. Quiet on placeholders (`<your-key>`, `xxxx`, `changeme`, `${VAR}`, `{{ var }}`, repeated or counting characters), on documented example keys (AWS\'s `AKIAIOSFODNN7EXAMPLE`), on GitHub and npm tokens whose CRC-32 checksum is wrong, on Stripe test-mode keys (`sk_test_`: they cannot move money or read live data), and in files under a `test`/`tests` directory whose name says `fake`, `dummy` or `mock`. Twilio SIDs and tokens and AWS secret keys (40 base64 characters, which could be anything) count only with context: a file that mentions Twilio and holds an account SID, or an AWS key id or an AWS secret-key setting.',
    },
  },
  covers: BANDIT_PASSWORD_CHECKS,
  visit: secretVisitors('PW401'),
  file: commentSecretsHook('PW401'),
});
