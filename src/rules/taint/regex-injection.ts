import { defineRule } from '../rule.js';

export const regexInjection = defineRule({
  meta: {
    id: 'PW110',
    name: 'regex-injection',
    severity: 'medium',
    confidence: 'medium',
    cwe: 730,
    doc: {
      summary: 'Untrusted data becomes a regular expression pattern.',
      why: 'A crafted pattern (`(a+)+$`) makes the matcher backtrack for minutes on one request (denial of service), and metacharacters change what the search matches.',
      bad: 'term = request.args["q"]\nmatches = [t for t in titles if re.search(term, t)]',
      good: 'term = request.args["q"]\nmatches = [t for t in titles if re.search(re.escape(term), t)]',
      fix: 'Escape the value with `re.escape` to match it literally, or use plain string operations (`in`, `startswith`).',
      references: ['https://cwe.mitre.org/data/definitions/730.html', 'https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS'],
    },
  },
  visit: {},
  dataflow: { covers: [], danger: 'is compiled as a regular expression' },
});
