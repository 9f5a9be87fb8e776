/**
 * Which sources each data-flow rule believes. Web requests, GraphQL calls and sockets are untrusted for
 * every rule. Whoever runs a command-line program already has a shell and their own files, so `sys.argv`,
 * `input()` and standard input count only where they change what the program itself does (its SQL, the
 * commands and code it runs, what it deserialises, its regexes), not for paths, URLs, HTML or redirects.
 * Environment variables count only where they reach a shell.
 */
import type { SourceKind, TaintRuleId } from './types.js';

export const RULE_SOURCE_KINDS: Readonly<Record<SourceKind, ReadonlySet<TaintRuleId>>> = {
  remote: new Set(['PW101', 'PW102', 'PW103', 'PW104', 'PW105', 'PW106', 'PW107', 'PW108', 'PW109', 'PW110']),
  local: new Set(['PW101', 'PW102', 'PW103', 'PW107', 'PW109', 'PW110']),
  environment: new Set(['PW102']),
};

/** Rules reported on parameter evidence alone (a public plain function building the dangerous string from its parameter). */
export const PARAMETER_EVIDENCE_RULES: ReadonlySet<TaintRuleId> = new Set(['PW101', 'PW102', 'PW103', 'PW107']);
