import { defineRule } from '../rule.js';
import { BANDIT_PASSWORD_CHECKS, SECRET_REFERENCES, secretVisitors } from './string-secrets.js';

export const passwordInConnectionString = defineRule({
  meta: {
    id: 'PW403',
    name: 'password-in-connection-string',
    severity: 'high',
    confidence: 'high',
    cwe: 798,
    doc: {
      summary: 'A URL with a literal password (scheme://user:password@host): database, broker, cache and HTTP basic-auth URLs',
      why: 'A database or message-broker URL with its password gives whoever reads the repository direct access to the data behind it, often from anywhere the host is reachable. B105 misses these because the variable is called `DATABASE_URL`, not `password`. Checked in Python string literals (bytes, f-string text and implicit concatenations too) and in configuration files (`.env*`, YAML, JSON, INI, `.cfg`, TOML, `.properties`): in a review on the lines the change added, in a tree scan everywhere. Not in Python comments, unlike PW401 and PW402: a password has no structure of its own to recognise, and comments are where connection strings are shown as examples.',
      bad: 'DATABASE_URL = "postgresql://shop:Ns6dYw3Hq@db.internal.shop.io:5432/shop"',
      good: 'DATABASE_URL = os.environ["DATABASE_URL"]',
      fix: 'Change the password on the server (it stays in the git history), then build the URL from the environment or a secrets manager.',
      references: SECRET_REFERENCES,
      banditDifferences: 'Not a Bandit check. Quiet when the password is a template or placeholder (`${DB_PASSWORD}`, `$PASSWORD`, `%(password)s`, an f-string field, `<password>`, `password`, `changeme`, `****`), empty (`user:@host`), and when the host is `localhost`, a loopback address or a reserved documentation domain (`example.com`, `*.test`): such a password opens only a developer\'s own machine or nothing, and these are the usual docker-compose and README examples. A weak password on a real host (`admin:12345678@db.prod`) is reported.',
    },
  },
  covers: BANDIT_PASSWORD_CHECKS,
  visit: secretVisitors('PW403'),
});
