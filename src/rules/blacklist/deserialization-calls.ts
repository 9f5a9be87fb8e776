/** B301 pickle, B302 marshal: deserialisers that execute or trust their input. */
import { advice, blacklistedCall } from './blacklisted-call.js';

const PICKLE_CALLS = [
  'pickle.loads', 'pickle.load', 'pickle.Unpickler',
  'cPickle.loads', 'cPickle.load', 'cPickle.Unpickler',
  '_pickle.loads', '_pickle.load', '_pickle.Unpickler',
  'dill.loads', 'dill.load', 'dill.Unpickler',
  'shelve.open', 'shelve.DbfilenameShelf',
  'jsonpickle.decode', 'jsonpickle.unpickler.decode', 'jsonpickle.unpickler.Unpickler',
  'pandas.read_pickle',
];

export const pickleCall = blacklistedCall({
  meta: {
    id: 'B301',
    name: 'pickle',
    severity: 'medium',
    confidence: 'high',
    cwe: 502,
    doc: {
      summary: 'Unpickling (pickle, dill, shelve, jsonpickle, pandas.read_pickle): loading a pickle runs code chosen by whoever wrote it',
      why: 'A pickle is a small program for a stack machine that can import any callable and call it with any arguments (`__reduce__`). Whoever controls the bytes given to pickle.loads, dill.load, shelve.open, jsonpickle.decode or pandas.read_pickle runs code in the process: a cookie, a cache entry, an uploaded model or a message on a queue is enough.',
      bad: 'import pickle\n\nsession = pickle.loads(base64.b64decode(request.cookies["session"]))',
      good: 'import json\n\nsession = json.loads(signer.unsign(request.cookies["session"]))',
      fix: 'Load untrusted data with a data-only format (json, msgpack, protobuf); keep pickle for bytes this program wrote itself and authenticates (HMAC) before loading.',
      references: [
        'https://docs.python.org/3/library/pickle.html#restricting-globals',
        'https://cwe.mitre.org/data/definitions/502.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b301-pickle',
      ],
      banditDifferences: 'Names are resolved, so `loader = pickle.loads; loader(b)`, `from pickle import loads as l`, `importlib.import_module("pickle").loads(b)` and `import cPickle as pickle` fallbacks are all seen, while a local function called `loads` is not. Also covers Python 2 `cPickle` and the C module `_pickle`, which Bandit omits. A subclass of `pickle.Unpickler` (the documented way to restrict `find_class`) is not flagged when instantiated, since its name resolves to the project\'s class. `yaml.unsafe_load` is B506\'s, not this rule\'s.',
    },
  },
  qualnames: PICKLE_CALLS,
  message: (q) => `${q}() deserialises a pickle, which can run arbitrary code; only load data this program wrote and authenticated, or use a data-only format like json`,
  fix: advice('Switch to a data-only format (json, msgpack) for anything that crosses a trust boundary, or sign pickles with HMAC and verify before loading.'),
});

export const marshalCall = blacklistedCall({
  meta: {
    id: 'B302',
    name: 'marshal',
    severity: 'medium',
    confidence: 'high',
    cwe: 502,
    doc: {
      summary: 'marshal.load/loads: an internal format that is not safe against crafted input',
      why: 'marshal is the format of .pyc files. Its documentation warns it is not secure against erroneous or maliciously constructed data: crafted bytes can crash the interpreter, and the code objects it returns run arbitrary Python when executed. It is also not stable across Python versions.',
      bad: 'import marshal\n\nconfig = marshal.loads(payload)',
      good: 'import json\n\nconfig = json.loads(payload)',
      fix: 'Use json (or another data-only format) for data that is stored or exchanged; never unmarshal bytes from outside the program.',
      references: [
        'https://docs.python.org/3/library/marshal.html',
        'https://cwe.mitre.org/data/definitions/502.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b302-marshal',
      ],
      banditDifferences: 'Names are resolved: aliases, `from marshal import loads as l`, variables bound to `marshal.loads` and `importlib.import_module("marshal")` are followed; a local function called `loads` is not flagged.',
    },
  },
  qualnames: ['marshal.load', 'marshal.loads'],
  message: (q) => `${q}() is not safe against crafted input; use json or another data-only format for anything not written by this program`,
  fix: advice('Replace marshal with json (or msgpack) for stored or exchanged data.'),
});
