import { defineRule } from '../rule.js';

export const openRedirect = defineRule({
  meta: {
    id: 'PW108',
    name: 'open-redirect',
    severity: 'medium',
    confidence: 'medium',
    cwe: 601,
    doc: {
      summary: 'Untrusted data decides where a redirect sends the user.',
      why: 'A link on your domain (`/login?next=https://evil.example`) sends users to a look-alike site after they log in: phishing with your domain\'s credibility, and token leaks in OAuth flows.',
      bad: 'target = request.args.get("next")\nreturn redirect(target)',
      good: 'target = request.args.get("next")\nif not url_has_allowed_host_and_scheme(target, allowed_hosts={request.host}):\n    target = "/"\nreturn redirect(target)',
      fix: 'Check the URL before redirecting (`url_has_allowed_host_and_scheme`, or `urlparse(url).netloc` empty or in an allow-list), or redirect to a named route (`url_for`, `reverse`).',
      references: ['https://cwe.mitre.org/data/definitions/601.html', 'https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html'],
    },
  },
  visit: {},
  dataflow: { covers: [], danger: 'decides where the user is redirected' },
});
