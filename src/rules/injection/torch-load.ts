import { truthy } from '../arguments.js';
import { defineRule } from '../rule.js';
import { lastSegments } from '../call-names.js';

const TORCH_LOAD = new Set(['torch.load', 'torch.serialization.load']);

export const torchLoad = defineRule({
  meta: {
    id: 'B614',
    name: 'pytorch_load',
    severity: 'medium',
    confidence: 'high',
    cwe: 502,
    doc: {
      summary: 'torch.load() without weights_only=True unpickles arbitrary objects',
      why: 'torch.load uses pickle: a checkpoint can carry objects whose unpickling runs any code. Whoever can supply or replace the file (a downloaded model, a shared cache, an upload) runs code in the process. Before PyTorch 2.6 weights_only defaulted to False.',
      bad: 'state = torch.load("checkpoint.pt")',
      good: 'state = torch.load("checkpoint.pt", weights_only=True)  # or safetensors.torch.load_file',
      fix: 'Pass weights_only=True (or store weights with safetensors).',
      references: [
        'https://pytorch.org/docs/stable/generated/torch.load.html',
        'https://github.com/huggingface/safetensors',
        'https://cwe.mitre.org/data/definitions/502.html',
      ],
      banditDifferences: 'Names are resolved (`from torch import load as tload`, `loader = torch.load`), `weights_only=` is evaluated as a constant (`SAFE = True; weights_only=SAFE`, `**{"weights_only": True}`), and a value that cannot be evaluated is reported with confidence MEDIUM.',
    },
  },
  callNames: lastSegments(TORCH_LOAD),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (!call.qname || !TORCH_LOAD.has(call.qname)) return;
      const arg = call.keywords.get('weights_only');
      const value = arg ? truthy(ctx.constant(arg)) : false;
      if (value === true) return;
      ctx.report(node, {
        confidence: value === undefined ? 'medium' : 'high',
        message: `${call.qname}() without weights_only=True unpickles the file, and a crafted checkpoint runs code; pass weights_only=True or use safetensors`,
      });
    },
  },
});
