/**
 * The process-spawning families Bandit's `shell_injection` option describes (B602-B607, B609): which calls
 * start a process, through a shell or not, and what their command argument looks like.
 */
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Arg, CallInfo } from '../../python/resolve.js';
import { argument, truthy } from '../arguments.js';
import { lastSegments } from '../call-names.js';
import type { RuleContext } from '../rule.js';

/** Bandit's `shell_injection` defaults, plus the asyncio shell launcher and `os.posix_spawn*`. */
export const SHELL_INJECTION_DEFAULTS = {
  subprocess: ['subprocess.Popen', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.run'],
  shell: [
    'os.system', 'os.popen', 'os.popen2', 'os.popen3', 'os.popen4',
    'popen2.popen2', 'popen2.popen3', 'popen2.popen4', 'popen2.Popen3', 'popen2.Popen4',
    'commands.getoutput', 'commands.getstatusoutput', 'subprocess.getoutput', 'subprocess.getstatusoutput',
    'asyncio.create_subprocess_shell',
  ],
  no_shell: [
    'os.execl', 'os.execle', 'os.execlp', 'os.execlpe', 'os.execv', 'os.execve', 'os.execvp', 'os.execvpe',
    'os.spawnl', 'os.spawnle', 'os.spawnlp', 'os.spawnlpe', 'os.spawnv', 'os.spawnve', 'os.spawnvp', 'os.spawnvpe',
    'os.startfile', 'os.posix_spawn', 'os.posix_spawnp',
  ],
};

export const SHELL_INJECTION_OPTIONS_DOC =
  'Options (Bandit\'s `shell_injection` lists, per rule under `rules.options.<ID>`): `subprocess`, `shell`, `no_shell`, each a list of qualified call names.';

export type LaunchFamily = 'subprocess' | 'shell' | 'no_shell';

export interface Launch {
  family: LaunchFamily;
  /** Qualified name as shown in messages. */
  name: string;
  /** The argument holding the command (or the executable, for `os.exec*`/`os.spawn*`). */
  command: Arg | undefined;
}

type Lists = Record<LaunchFamily, ReadonlySet<string>>;

/** `callNames` for the launch rules: every name in the configured lists, and asyncio's `loop.subprocess_shell`. */
export function launchCallNames(options: Record<string, unknown>): string[] {
  const all = (['subprocess', 'shell', 'no_shell'] as const).flatMap((family) => [...listOption(options[family], SHELL_INJECTION_DEFAULTS[family])]);
  return [...lastSegments(all), 'subprocess_shell'];
}
const listCache = new WeakMap<object, Lists>();

function listOption(value: unknown, fallback: string[]): ReadonlySet<string> {
  return new Set(Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : fallback);
}

function lists(ctx: RuleContext): Lists {
  let l = listCache.get(ctx.options);
  if (!l) {
    l = {
      subprocess: listOption(ctx.options.subprocess, SHELL_INJECTION_DEFAULTS.subprocess),
      shell: listOption(ctx.options.shell, SHELL_INJECTION_DEFAULTS.shell),
      no_shell: listOption(ctx.options.no_shell, SHELL_INJECTION_DEFAULTS.no_shell),
    };
    listCache.set(ctx.options, l);
  }
  return l;
}

/** `loop.subprocess_shell(factory, cmd)` on an asyncio event loop: the loop is rarely resolvable, so asyncio being imported is enough. */
function isLoopSubprocessShell(ctx: RuleContext, call: CallInfo): boolean {
  if (call.name !== 'subprocess_shell' || call.func.type !== 'attribute') return false;
  return call.qname !== undefined ? call.qname.startsWith('asyncio.') : ctx.imports('asyncio');
}

/** The process launch a call is, if any. */
export function processLaunch(ctx: RuleContext, call: CallInfo): Launch | undefined {
  const q = call.qname;
  if (isLoopSubprocessShell(ctx, call)) {
    return { family: 'shell', name: 'loop.subprocess_shell', command: argument(call, 'cmd', 1) };
  }
  if (q === undefined) return undefined;
  const l = lists(ctx);
  if (l.subprocess.has(q)) return { family: 'subprocess', name: q, command: argument(call, 'args', 0) };
  if (l.shell.has(q)) return { family: 'shell', name: q, command: call.positional[0] ?? call.keywords.get('cmd') ?? call.keywords.get('command') };
  if (l.no_shell.has(q)) {
    // os.spawn*(mode, path, ...) take the mode first; a string in first place is a path written without the mode
    const first = call.positional[0];
    const index = /^os\.spawn/.test(q) && !(first && (first.node.type === 'string' || first.node.type === 'concatenated_string')) ? 1 : 0;
    return { family: 'no_shell', name: q, command: call.positional[index] ?? call.keywords.get('path') ?? call.keywords.get('file') };
  }
  return undefined;
}

/** True when `q` is in the rule's `subprocess` list. */
export function isSubprocessCall(ctx: RuleContext, q: string | undefined): boolean {
  return q !== undefined && lists(ctx).subprocess.has(q);
}

/**
 * Whether `shell=` asks for a shell: `true`/`false` when known; `'unknown'` for an expression that cannot be
 * evaluated (Bandit counts those as a shell). Absent keyword: `false`.
 */
export function shellArgument(ctx: RuleContext, call: CallInfo): boolean | 'unknown' {
  const arg = call.keywords.get('shell');
  if (!arg) return false;
  return truthy(ctx.constant(arg)) ?? 'unknown';
}

/** True when the command is a literal: a string, or a list of strings, written in the code (or a name bound to one). */
/**
 * A command written as literal text in the call (Bandit's LOW severity case). A name bound to text does not
 * count, as in Bandit: it may be rebound, and the severity must not drop because a variable was introduced.
 */
export function isLiteralCommand(ctx: RuleContext, command: Arg | undefined): boolean {
  if (!command) return false;
  const node = command.node.type === 'parenthesized_expression' ? (command.node.namedChildren[0] ?? command.node) : command.node;
  if (node.type !== 'string' && node.type !== 'concatenated_string' && node.type !== 'list' && node.type !== 'tuple') return false;
  if (node.type === 'list' || node.type === 'tuple') {
    return node.namedChildren.every((e) => e.type === 'comment' || ((e.type === 'string' || e.type === 'concatenated_string') && typeof ctx.constant({ node: e, scope: command.scope }) === 'string'));
  }
  return typeof ctx.constant({ node, scope: command.scope }) === 'string';
}

const SEQUENCE = new Set(['list', 'tuple']);

function elements(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/**
 * The literal text a command starts with: `"git clone "` for `f"git clone {url}"`, `"ls"` for `["ls", path]`,
 * through names bound to these. `undefined` when the command starts with something only known at runtime.
 */
export function leadingText(ctx: RuleContext, arg: Arg, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  const { node, scope } = ctx.expression(arg);
  const v = ctx.constant({ node, scope });
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  if (SEQUENCE.has(node.type)) {
    const first = elements(node)[0];
    return first ? leadingText(ctx, { node: first, scope }, depth + 1) : undefined;
  }
  if (node.type === 'binary_operator' && ['+', '%'].includes(node.childForFieldName('operator')?.text ?? '')) {
    return leadingText(ctx, { node: node.childForFieldName('left')!, scope }, depth + 1);
  }
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) {
    return leadingText(ctx, { node: node.namedChildren[0], scope }, depth + 1);
  }
  const s = ctx.string({ node, scope });
  if (s?.dynamic) {
    const cut = s.value.indexOf('{}');
    return cut > 0 ? s.value.slice(0, cut) : undefined;
  }
  return undefined;
}

/**
 * Every piece of literal text in a command, joined with spaces: list elements, f-string templates, `+`/`%`
 * operands, through names. Used to spot `tar ... *` in commands built at runtime.
 */
export function literalText(ctx: RuleContext, arg: Arg, depth = 0): string {
  if (depth > 8) return '';
  const { node, scope } = ctx.expression(arg);
  const v = ctx.constant({ node, scope });
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.filter((e) => typeof e === 'string').join(' ');
  if (SEQUENCE.has(node.type) || node.type === 'parenthesized_expression') {
    return elements(node).map((c) => literalText(ctx, { node: c, scope }, depth + 1)).join(' ');
  }
  if (node.type === 'binary_operator') {
    return ['left', 'right'].map((f) => literalText(ctx, { node: node.childForFieldName(f)!, scope }, depth + 1)).join('');
  }
  const s = ctx.string({ node, scope });
  return s ? s.value : '';
}
