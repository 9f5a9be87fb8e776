/**
 * The README's copyable snippets use only what exists: every `--flag` of a `pyward scan` command and of the
 * CLI table is an option of the argument parser, every config block passes the config schema (which
 * rejects unknown keys), the workflow's `with:` keys and `outputs.` are the Action's inputs and outputs,
 * and the pre-commit snippet names the published hook.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SCAN_OPTIONS } from '../../src/cli/args.js';
import { parseConfig } from '../../src/config/schema.js';

const ROOT = process.cwd();
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], text: m[2] }));
const yamlBlocks = blocks.filter((b) => b.lang === 'yaml').map((b) => ({ text: b.text, data: parse(b.text) as Record<string, any> }));
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string }[];

const scanFlags = new Set(Object.entries(SCAN_OPTIONS).flatMap(([name, o]) => [`--${name}`, ...('short' in o ? [`-${o.short}`] : [])]));
const flagsIn = (text: string) => [...text.matchAll(/(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])\b/g)].map((m) => m[1]);

it('finds the sections and their snippets', () => {
  for (const heading of ['## GitHub App', '## GitHub Action', '## pre-commit', '## Command line']) expect(readme).toContain(`\n${heading}\n`);
  expect(yamlBlocks.some((b) => b.data?.jobs)).toBe(true);
  expect(yamlBlocks.some((b) => b.data?.repos)).toBe(true);
});

it('every flag of a `pyward scan` command in a shell snippet exists', () => {
  const lines = blocks.filter((b) => b.lang === 'sh').flatMap((b) => b.text.split('\n')).flatMap((l) => l.split('&&')).filter((l) => /\bpyward scan\b/.test(l));
  expect(lines.length).toBeGreaterThan(2);
  const unknown = lines.flatMap((l) => flagsIn(l.replace(/#.*$/, '').replace(/^.*?\bpyward scan\b/, ''))).filter((f) => !scanFlags.has(f));
  expect(unknown).toEqual([]);
});

it('every flag of the command-line table exists, and every option is in the table', () => {
  const table = readme.slice(readme.indexOf('\n## Command line\n'), readme.indexOf('\n### SARIF'));
  const documented = new Set(table.split('\n').filter((l) => l.startsWith('| `-')).flatMap((l) => flagsIn(l.split('|')[1])));
  expect([...documented].filter((f) => !scanFlags.has(f))).toEqual([]);
  expect([...scanFlags].filter((f) => f.startsWith('--') && f !== '--help' && !documented.has(f))).toEqual([]);
});

it('every config block passes the config schema', () => {
  const configs = yamlBlocks.filter((b) => !b.data?.jobs && !b.data?.repos);
  expect(configs.length).toBeGreaterThanOrEqual(2);
  for (const block of configs) expect(parseConfig(block.text)).toMatchObject({ ok: true });
});

it('the workflow uses the Action inputs and outputs that exist', () => {
  const workflow = yamlBlocks.find((b) => b.data?.jobs)!;
  const steps = Object.values(workflow.data.jobs).flatMap((j: any) => j.steps) as { uses?: string; with?: Record<string, unknown>; id?: string }[];
  const step = steps.find((s) => /\/pyward@/.test(s.uses ?? ''))!;
  const commented = [...workflow.text.matchAll(/#\s*([a-z-]+):/g)].map((m) => m[1]);
  expect([...Object.keys(step.with ?? {}), ...commented].filter((k) => !(k in action.inputs))).toEqual([]);
  const used = [...workflow.text.matchAll(/steps\.pyward\.outputs\.([\w-]+)/g)].map((m) => m[1]);
  expect(used.length).toBeGreaterThan(0);
  expect(used.filter((o) => !(o in action.outputs))).toEqual([]);
  // the outputs the README lists exist
  const listed = readme.slice(readme.indexOf('\n## GitHub Action\n')).match(/^Outputs: ([\s\S]*?)\. The job/m)![1];
  expect([...listed.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).filter((o) => !['success', 'failure', 'neutral'].includes(o) && !(o in action.outputs))).toEqual([]);
});

it('the pre-commit snippet names the published hook and passes existing flags', () => {
  const config = yamlBlocks.find((b) => b.data?.repos)!;
  const hook = config.data.repos[0].hooks[0];
  expect(hooks.map((h) => h.id)).toContain(hook.id);
  expect((hook.args as string[]).filter((a) => a.startsWith('-') && !scanFlags.has(a))).toEqual([]);
  const mentioned = flagsIn(config.text.split('\n').filter((l) => l.includes('#')).map((l) => l.slice(l.indexOf('#'))).join(' '));
  expect(mentioned.filter((f) => !scanFlags.has(f))).toEqual([]);
});
