/** Regular expressions: a pattern from untrusted data. */
import type { FlowModel } from './types.js';

const FUNCTIONS = ['compile', 'match', 'search', 'fullmatch', 'findall', 'finditer', 'sub', 'subn', 'split'];

export const regexModel: FlowModel = {
  name: 're / regex',
  sinks: [
    { rule: 'PW110', qnames: FUNCTIONS.flatMap((f) => [`re.${f}`, `regex.${f}`]), args: [0, 'pattern'], description: '`re.compile(pattern)`, `re.search(pattern, ...)` and the other `re` functions' },
  ],
  sanitizers: [{ qnames: ['re.escape', 'regex.escape'], clears: ['PW110'], description: '`re.escape` makes a value match itself literally' }],
  guards: [
    { qnames: ['re.fullmatch', 'regex.fullmatch'], arg: 1, clears: 'all', description: '`re.fullmatch(pattern, value)` as a validator' },
  ],
};
