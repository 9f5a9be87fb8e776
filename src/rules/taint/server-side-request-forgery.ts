import { defineRule } from '../rule.js';

export const serverSideRequestForgery = defineRule({
  meta: {
    id: 'PW105',
    name: 'server-side-request-forgery',
    severity: 'medium',
    confidence: 'medium',
    cwe: 918,
    doc: {
      summary: 'Untrusted data decides the URL (scheme and host) of an outgoing request.',
      why: 'The server fetches what the attacker names: cloud metadata endpoints (`http://169.254.169.254/`), internal admin services, `file://` URLs, with the server\'s network position and credentials.',
      bad: 'url = request.args["url"]\nrequests.get(url, timeout=5)',
      good: 'query = request.args["q"]\nrequests.get("https://api.example.com/search", params={"q": query}, timeout=5)',
      fix: 'Keep the scheme and host fixed (a constant base URL, values in `params=` or the path), or check the parsed host against an allow-list (`urlparse(url).hostname in ALLOWED_HOSTS`).',
      references: ['https://cwe.mitre.org/data/definitions/918.html', 'https://owasp.org/www-community/attacks/Server_Side_Request_Forgery', 'https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html'],
      banditDifferences: 'Bandit\'s B310 flags every `urlopen` (for `file://`); PW105 needs untrusted data in the URL and stays quiet when a constant prefix fixes the host.',
    },
  },
  visit: {},
  dataflow: { covers: ['B310'], danger: 'decides where the server sends a request' },
});
