import { DEFAULT_CONFIG, type Config } from '../../src/config/schema.js';
import { analyzeFile, prepareRules } from '../../src/engine/analyze-file.js';
import { applyDataFlow } from '../../src/engine/flow-findings.js';
import { factsFiles, projectFacts } from '../../src/engine/project-facts.js';
import type { ProjectFacts } from '../../src/rules/settings/project.js';
import type { FileResult } from '../../src/engine/types.js';
import { pythonParser } from '../../src/python/parser.js';
import { ALL_RULES, selectRules } from '../../src/rules/registry.js';

/**
 * Analyse Python text with every rule (or a config), as the CLI would scan that one file; `project`: the
 * facts of the project it is in (by default, what the file itself says).
 */
export async function analyzeSource(text: string | Uint8Array, path = 'example.py', config: Config = DEFAULT_CONFIG, project?: ProjectFacts): Promise<FileResult> {
  const parser = await pythonParser();
  const facts = project ?? projectFacts(parser, factsFiles([{ path, head: text }]));
  return analyzeFile(parser, { path, content: text }, config, prepareRules(selectRules(config), ALL_RULES, config), facts);
}

/** The project facts of some files (Python modules, pytest/tox configuration), as a whole-tree scan gathers them. */
export async function factsOf(files: { path: string; text: string | Uint8Array }[]): Promise<ProjectFacts> {
  return projectFacts(await pythonParser(), factsFiles(files.map((f) => ({ path: f.path, head: f.text }))));
}

/** `config` with some keys changed. */
export function withConfig(patch: Partial<Config>): Config {
  return { ...DEFAULT_CONFIG, ...patch };
}

/** Analyse several files as one project (whole-tree scan): every rule, then data flow across them. */
export async function analyzeProject(files: { path: string; text: string | Uint8Array }[], config: Config = DEFAULT_CONFIG): Promise<FileResult[]> {
  const parser = await pythonParser();
  const rules = selectRules(config);
  const active = prepareRules(rules, ALL_RULES, config);
  const facts = projectFacts(parser, factsFiles(files.map((f) => ({ path: f.path, head: f.text }))));
  const results = files.map((f) => analyzeFile(parser, { path: f.path, content: f.text }, config, active, facts));
  applyDataFlow(results, rules, config, active.isRuleWord);
  return results;
}
