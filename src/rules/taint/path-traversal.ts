import { defineRule } from '../rule.js';

export const pathTraversal = defineRule({
  meta: {
    id: 'PW104',
    name: 'path-traversal',
    severity: 'high',
    confidence: 'medium',
    cwe: 22,
    doc: {
      summary: 'Untrusted data reaches a file path that is opened, sent, written or deleted.',
      why: '`../` sequences and absolute paths escape the intended directory: `../../etc/passwd`, the application\'s own settings and keys, or any file the process may delete or overwrite.',
      bad: 'name = request.args["file"]\nreturn send_file(os.path.join(UPLOADS, name))',
      good: 'name = request.args["file"]\nreturn send_from_directory(UPLOADS, name)  # or safe_join / secure_filename',
      fix: 'Use `send_from_directory`/`safe_join`/`secure_filename`, or resolve the path (`os.path.realpath`, `Path.resolve`) and check it is inside the base directory (`commonpath`, `is_relative_to`) before use.',
      references: ['https://cwe.mitre.org/data/definitions/22.html', 'https://owasp.org/www-community/attacks/Path_Traversal', 'https://flask.palletsprojects.com/en/stable/api/#flask.send_from_directory'],
    },
  },
  visit: {},
  dataflow: { covers: [], danger: 'is used as a file path' },
});
