import { defineRule } from '../rule.js';
import { BANDIT_PASSWORD_CHECKS, commentSecretsHook, SECRET_REFERENCES, secretVisitors } from './string-secrets.js';

export const privateKeyInSource = defineRule({
  meta: {
    id: 'PW402',
    name: 'private-key-in-source',
    severity: 'critical',
    confidence: 'high',
    cwe: 321,
    doc: {
      summary: 'A PEM private key block (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted) in code or a configuration file, including a Google service-account key file',
      why: 'Whoever has the private key can sign as its owner: impersonate a server (TLS), log in over SSH, mint tokens a service trusts (JWT, GitHub App, Google service account). A key in the repository is in every clone and in the git history for good; encrypted PEM keys only add a passphrase, usually stored next to them. Checked in string literals, in comments (a block commented out line by line, `# -----BEGIN ...`, is read as one key) and in configuration files.',
      bad: 'GITHUB_APP_KEY = """-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n...\n-----END RSA PRIVATE KEY-----"""',
      good: 'GITHUB_APP_KEY = Path(os.environ["GITHUB_APP_KEY_PATH"]).read_text()',
      fix: 'Revoke the key (replace the certificate, remove the SSH key or service-account key) and load the new one from a file or secret store outside the repository.',
      references: [...SECRET_REFERENCES, 'https://cwe.mitre.org/data/definitions/321.html'],
      banditDifferences: 'Not a Bandit check. Public keys (`BEGIN PUBLIC KEY`, `ssh-rsa AAAA...`) and certificates are not secrets and stay quiet, as does a block without a body (`-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----` in documentation). Where B105 flags the same literal by its name, reviews show this finding only.',
    },
  },
  covers: BANDIT_PASSWORD_CHECKS,
  visit: secretVisitors('PW402'),
  file: commentSecretsHook('PW402'),
});
