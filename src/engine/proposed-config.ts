/**
 * A change's own `.github/pyward.yml`: validated and reported, never applied (the base side's copy is in
 * force, so a change cannot switch its own checks off). An invalid copy makes the review incomplete: it
 * would turn pyward's checks off once merged. Shared by the App and `pyward scan --diff`; pure.
 */
import { configSchema, formatConfigErrors, readConfigYaml, type ConfigError } from '../config/schema.js';
import { ruleConfigErrors } from '../rules/registry.js';
import { mdMessage } from '../report/markdown.js';
import type { AnalysisError } from './types.js';

export const CONFIG_PATH = '.github/pyward.yml';

/** Every problem of one config text: YAML, schema, then rule ids and options against the registry. */
export function configTextErrors(text: string): { data?: Record<string, unknown>; errors: ConfigError[] } {
  const read = readConfigYaml(text);
  if (!read.ok) return { errors: read.errors };
  return { data: read.data, errors: ruleConfigErrors(configSchema.parse(read.data)) };
}

/** What the change's copy is: a regular file's text, or a symbolic link (never followed). */
export type ProposedConfig = { kind: 'file'; text: string } | { kind: 'symlink' };

export interface ProposedConfigCheck {
  /** Said at the top of the report. */
  note: string;
  /** Set when the copy is unusable: counted as not reviewed, so the review fails closed. */
  error?: AnalysisError;
}

/** `who`: how the report names the change ("This pull request", "This change"). */
export function checkProposedConfig(proposed: ProposedConfig, who: string): ProposedConfigCheck {
  if (proposed.kind === 'symlink') {
    const message = `${CONFIG_PATH} is a symbolic link in this change; pyward never follows links, so it could not be validated (make it a regular file)`;
    return { note: `**${who} makes \`${CONFIG_PATH}\` a symbolic link**: pyward does not follow it, and it would not be read once merged.`, error: { path: CONFIG_PATH, kind: 'skipped', message } };
  }
  const { errors } = configTextErrors(proposed.text);
  if (!errors.length) return { note: `${who} changes \`${CONFIG_PATH}\`: it is valid and will apply once merged (the base branch's copy applies until then).` };
  return {
    note: `**${who} changes \`${CONFIG_PATH}\` and the new file is invalid** (it would stop pyward's reviews once merged):\n>\n> ${formatConfigErrors(errors, CONFIG_PATH).split('\n').map((line) => mdMessage(line)).join('\n> ')}`,
    error: { path: CONFIG_PATH, kind: 'skipped', message: `the configuration this change proposes is invalid (${errors.length === 1 ? 'one error' : `${errors.length} errors`}, listed above); fix it before merging` },
  };
}
