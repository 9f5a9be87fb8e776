/** pip's requirements-file options: which take a value, and the tokenizer for an options string. */

const VALUE_OPTIONS: Record<string, string> = {
  '-r': 'requirement', '--requirement': 'requirement',
  '-c': 'constraint', '--constraint': 'constraint',
  '-e': 'editable', '--editable': 'editable',
  '-i': 'index-url', '--index-url': 'index-url',
  '--extra-index-url': 'extra-index-url',
  '-f': 'find-links', '--find-links': 'find-links',
  '--trusted-host': 'trusted-host',
  '--hash': 'hash',
  '--global-option': 'global-option', '--install-option': 'install-option',
  '--config-settings': 'config-settings', '--config-setting': 'config-settings',
  '--only-binary': 'only-binary', '--no-binary': 'no-binary', '--use-feature': 'use-feature',
};
const FLAG_OPTIONS: Record<string, string> = {
  '--no-index': 'no-index', '--pre': 'pre', '--prefer-binary': 'prefer-binary', '--require-hashes': 'require-hashes',
};

export interface ParsedOption {
  /** Canonical long name without dashes (`requirement`, `index-url`), or the unknown token as written. */
  name: string;
  value: string;
  known: boolean;
  /** The option as written, for skip messages. */
  text: string;
}

/** pip's `break_args_options`: tokens before the first one starting with `-` are the requirement. */
export function splitArgsOptions(line: string): { args: string; options: string } {
  const tokens = line.split(/[ \t]+/);
  const first = tokens.findIndex((t) => t.startsWith('-'));
  if (first < 0) return { args: line, options: '' };
  return { args: tokens.slice(0, first).join(' '), options: tokens.slice(first).join(' ') };
}

export function parseOptions(options: string): ParsedOption[] {
  const tokens = options.split(/[ \t]+/).filter((t) => t !== '');
  const out: ParsedOption[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const flag = eq > 0 ? token.slice(0, eq) : token;
    if (FLAG_OPTIONS[flag] !== undefined) {
      out.push({ name: FLAG_OPTIONS[flag], value: '', known: true, text: token });
      continue;
    }
    let name = VALUE_OPTIONS[flag];
    let value: string | undefined;
    if (name !== undefined) {
      value = eq > 0 ? token.slice(eq + 1) : tokens[++i];
    } else if (/^-[a-z]./i.test(token) && VALUE_OPTIONS[token.slice(0, 2)] !== undefined) {
      name = VALUE_OPTIONS[token.slice(0, 2)]; // optparse short form: `-rbase.txt`
      value = token.slice(2);
    }
    if (name === undefined) {
      out.push({ name: token, value: '', known: false, text: token });
    } else if (value === undefined || value === '') {
      out.push({ name: token, value: '', known: false, text: `${token} (missing value)` });
    } else {
      out.push({ name, value, known: true, text: eq > 0 || token !== flag ? token : `${token} ${value}` });
    }
  }
  return out;
}
