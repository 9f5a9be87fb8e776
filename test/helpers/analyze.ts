import { DEFAULT_CONFIG, type Config } from '../../src/config/schema.js';
import { analyzeFile, prepareRules } from '../../src/engine/analyze-file.js';
import type { FileResult } from '../../src/engine/types.js';
import { pythonParser } from '../../src/python/parser.js';
import { ALL_RULES, selectRules } from '../../src/rules/registry.js';

/** Analyse Python text with every rule (or a config), as the CLI would. */
export async function analyzeSource(text: string | Uint8Array, path = 'example.py', config: Config = DEFAULT_CONFIG): Promise<FileResult> {
  const parser = await pythonParser();
  return analyzeFile(parser, { path, content: text }, config, prepareRules(selectRules(config), ALL_RULES, config));
}

/** `config` with some keys changed. */
export function withConfig(patch: Partial<Config>): Config {
  return { ...DEFAULT_CONFIG, ...patch };
}
