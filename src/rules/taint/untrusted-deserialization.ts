import { defineRule } from '../rule.js';

export const untrustedDeserialization = defineRule({
  meta: {
    id: 'PW109',
    name: 'untrusted-deserialization',
    severity: 'critical',
    confidence: 'high',
    cwe: 502,
    doc: {
      summary: 'Untrusted bytes reach a deserialiser that can run code (pickle, dill, marshal, jsonpickle, unsafe YAML, torch.load); or Django sessions are pickled.',
      why: 'Unpickling calls whatever the data names: one crafted payload (`__reduce__` returning `os.system`) runs commands on the server. The same holds for YAML\'s unsafe loaders and model files loaded with pickle.',
      bad: 'data = base64.b64decode(request.cookies["cart"])\ncart = pickle.loads(data)',
      good: 'cart = json.loads(request.cookies["cart"])  # or a signed value: itsdangerous, django.core.signing',
      fix: 'Exchange data as JSON (or `yaml.safe_load`); load models with `weights_only=True`; if objects must cross a trust boundary, sign them and verify before loading.',
      references: ['https://cwe.mitre.org/data/definitions/502.html', 'https://docs.python.org/3/library/pickle.html', 'https://docs.djangoproject.com/en/stable/topics/http/sessions/#session-serialization'],
      banditDifferences: 'Bandit\'s B301/B302/B506/B614 flag every such call; PW109 needs untrusted data to reach it (critical then). Where both fire, reviews show PW109 once. It also flags `SESSION_SERIALIZER` set to Django\'s PickleSerializer.',
    },
  },
  visit: {
    assignment(node, ctx) {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type !== 'identifier' || left.text !== 'SESSION_SERIALIZER' || !right || ctx.scope.kind !== 'module') return;
      const value = ctx.constant(right);
      if (typeof value === 'string' && /PickleSerializer$/.test(value)) {
        ctx.report(node, { message: 'Django sessions are pickled (`SESSION_SERIALIZER = PickleSerializer`): anyone who learns or guesses SECRET_KEY, or can write the session store, runs code on the server. Use the default JSONSerializer.' });
      }
    },
  },
  dataflow: { covers: ['B301', 'B302', 'B506', 'B614'], danger: 'is deserialised (it can run code)' },
});
