/** Python built-ins and small standard modules: conversions that clean, functions that pass data through. */
import type { FlowModel } from './types.js';

export const builtinsModel: FlowModel = {
  name: 'built-ins',
  sanitizers: [
    {
      qnames: ['int', 'float', 'bool', 'complex', 'len', 'hash', 'id', 'ord', 'isinstance', 'issubclass', 'callable', 'type', 'uuid.UUID', 'decimal.Decimal', 'datetime.date.fromisoformat', 'datetime.datetime.fromisoformat', 'datetime.datetime.strptime', 'ipaddress.ip_address', 'ipaddress.ip_network', 'hashlib.sha256().hexdigest', 'secrets.compare_digest', 'bisect.bisect'],
      methods: ['isdigit', 'isnumeric', 'isdecimal', 'isalnum', 'isalpha', 'isidentifier', 'startswith', 'endswith', 'count', 'find', 'index', 'rfind', 'hexdigest', 'digest', 'exists', 'is_file', 'is_dir'],
      clears: 'all',
      description: 'numbers, UUIDs, dates, yes/no answers and digests carry no attacker text',
    },
  ],
  guards: [
    { methods: ['isdigit', 'isnumeric', 'isdecimal', 'isalnum', 'isalpha', 'isidentifier'], clears: 'all', description: '`value.isdigit()` and the other character-class tests' },
    { qnames: ['isinstance'], arg: 0, clears: 'all', description: '`isinstance(value, int)`' },
  ],
  passThrough: [
    { qnames: ['str', 'bytes', 'bytearray', 'repr', 'format', 'list', 'tuple', 'set', 'frozenset', 'dict', 'sorted', 'reversed', 'iter', 'next', 'max', 'min', 'filter', 'map', 'zip', 'enumerate'], description: 'conversions and iteration keep the data' },
    { qnames: ['base64.b64decode', 'base64.b64encode', 'base64.urlsafe_b64decode', 'base64.b32decode', 'base64.b16decode', 'binascii.unhexlify', 'binascii.a2b_base64', 'codecs.decode', 'zlib.decompress', 'gzip.decompress', 'json.loads', 'json.load', 'json.dumps'], description: 'decoders and JSON keep the data' },
    { methods: ['get', 'pop', 'setdefault', 'getlist', 'getone', 'get_all', 'getfirst'], from: ['receiver', 1, 'default'], description: 'mapping accessors return what the mapping holds (`.get(key)`, `.getlist(key)`), or the default: a constant mapping looked up with untrusted keys gives constant values' },
    { methods: ['strip', 'lstrip', 'rstrip', 'lower', 'upper', 'title', 'capitalize', 'casefold', 'replace', 'split', 'rsplit', 'splitlines', 'partition', 'rpartition', 'encode', 'decode', 'format', 'format_map', 'join', 'values', 'items', 'keys', 'copy', 'to_dict', 'dict', 'read', 'readline', 'readlines', 'removeprefix', 'removesuffix', 'zfill', 'ljust', 'rjust', 'center', 'expandtabs', 'translate'], description: '`str` and container methods return the data they were called on and given (`.strip()`, `"".join(parts)`, `"{}".format(x)`)' },
  ],
  noReturn: [{ qnames: ['builtins.exit'], description: 'the program ends' }],
};
