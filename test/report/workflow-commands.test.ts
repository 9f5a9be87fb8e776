import { commandFor, escapeData, escapeProperty, renderWorkflowCommands, workflowCommand } from '../../src/report/workflow-commands.js';
import type { Finding, Review } from '../../src/engine/types.js';
import { formatOutputs } from '../../src/action/workflow-files.js';

/** How the Actions runner reads a command line back (actions/runner's ActionCommand.TryParseV2). */
function parseCommand(line: string): { command: string; properties: Record<string, string>; data: string } | undefined {
  const m = /^::([^ :]+)( [^:]*)?::(.*)$/s.exec(line);
  if (!m) return undefined;
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').trim().split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
  }
  return { command: m[1], properties, data: m[3].replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%') };
}

const finding = (over: Partial<Finding> & { path?: string } = {}): Finding => ({
  ruleId: 'B602',
  ruleName: 'subprocess_popen_with_shell_equals_true',
  message: 'subprocess call with shell=True',
  severity: 'high',
  confidence: 'high',
  location: { path: over.path ?? 'app/run.py', startLine: 3, startColumn: 5, endLine: 3, endColumn: 30 },
  snippet: 'subprocess.run(cmd, shell=True)',
  fingerprint: 'f1',
  ...over,
});

const review = (findings: Finding[], errors: Review['errors'] = []): Review => ({ findings, suppressed: [], errors, stats: { filesAnalysed: 1, filesSkipped: 0, lines: 10, durationMs: 1 } });

describe('escaping', () => {
  it.each([
    ['100%', '100%25', '100%25'],
    ['a\r\nb', 'a%0D%0Ab', 'a%0D%0Ab'],
    ['x::error::y', 'x::error::y', 'x%3A%3Aerror%3A%3Ay'],
    ['a,b=c', 'a,b=c', 'a%2Cb=c'],
    ['%0A', '%250A', '%250A'],
  ])('%j -> data %j, property %j', (text, data, property) => {
    expect(escapeData(text)).toBe(data);
    expect(escapeProperty(text)).toBe(property);
  });

  it.each([
    ['a file name that tries to end the properties', 'evil,line=1::x.py'],
    ['a file name with a new line and a command', 'a\n::error file=b.py::injected.py'],
    ['a percent sequence that would unescape to a new line', 'a%0A::warning::b.py'],
  ])('%s stays one command with the exact path', (_name, path) => {
    const out = renderWorkflowCommands(review([finding({ path, message: 'msg\n::error::second command %0A' })]), { failOn: 'high' });
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const parsed = parseCommand(lines[0])!;
    expect(parsed.command).toBe('error');
    expect(parsed.properties.file).toBe(path);
    expect(parsed.properties.line).toBe('3');
    expect(parsed.data).toBe('msg\n::error::second command %0A');
  });
});

describe('renderWorkflowCommands', () => {
  it.each([
    ['critical', 'high', 'error'],
    ['high', 'high', 'error'],
    ['medium', 'high', 'warning'],
    ['low', 'high', 'notice'],
    ['low', 'low', 'error'],
  ] as const)('%s with fail-on %s is ::%s', (severity, failOn, command) => {
    expect(commandFor(severity, failOn)).toBe(command);
  });

  it('one line per finding, worst first, with location, title and fix; covered Bandit findings left out; files not analysed as warnings', () => {
    const out = renderWorkflowCommands(
      review(
        [
          finding({ severity: 'low', ruleId: 'B404', ruleName: 'blacklist', message: 'import subprocess', location: { path: 'a.py', startLine: 1, startColumn: 1, endLine: 1, endColumn: 18 } }),
          finding({ fix: { description: 'drop shell=True' }, location: { path: 'a.py', startLine: 4, startColumn: 5, endLine: 6, endColumn: 2 } }),
          finding({ ruleId: 'B608', coveredBy: 'PW101' }),
        ],
        [{ path: 'broken.py', kind: 'syntax', message: 'invalid syntax', line: 2, column: 7 }],
      ),
      { failOn: 'high' },
    );
    expect(out).toBe(
      [
        '::error file=a.py,line=4,endLine=6,title=B602 subprocess_popen_with_shell_equals_true (high)::subprocess call with shell=True%0AFix: drop shell=True',
        '::notice file=a.py,line=1,col=1,endColumn=17,title=B404 blacklist (low)::import subprocess',
        '::warning file=broken.py,line=2,col=7,title=pyward%3A syntax error::invalid syntax',
        'pyward: 2 findings (1 high, 1 low) in 1 file',
        '',
      ].join('\n'),
    );
  });

  it('workflowCommand leaves out absent properties', () => {
    expect(workflowCommand('warning', { file: undefined, title: 'pyward' }, 'x')).toBe('::warning title=pyward::x');
    expect(workflowCommand('error', {}, 'x')).toBe('::error::x');
  });
});

describe('step outputs', () => {
  it('are written in the multi-line form with a delimiter no value contains', () => {
    expect(formatOutputs({ conclusion: 'failure', findings: 3 }, 'EOF1')).toBe('conclusion<<EOF1\nfailure\nEOF1\nfindings<<EOF1\n3\nEOF1\n');
    expect(() => formatOutputs({ title: 'a\nEOF1\nother<<x' }, 'EOF1')).toThrow(/delimiter/);
    const random = formatOutputs({ title: 'a\nb' });
    expect(random).toMatch(/^title<<pyward_[0-9a-f-]{36}\na\nb\npyward_[0-9a-f-]{36}\n$/);
  });
});
