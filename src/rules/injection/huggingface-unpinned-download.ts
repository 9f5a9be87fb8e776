import { argument } from '../arguments.js';
import { defineRule } from '../rule.js';

/** Function -> the library it must come from. */
const DOWNLOADERS: Record<string, string> = {
  from_pretrained: 'transformers',
  load_dataset: 'datasets',
  hf_hub_download: 'huggingface_hub',
  snapshot_download: 'huggingface_hub',
};
const COMMIT = /^[0-9a-fA-F]{7,}$/;
const LOCAL = /^(?:\.\.?\/|\/)/;

export const huggingfaceUnpinnedDownload = defineRule({
  meta: {
    id: 'B615',
    name: 'huggingface_unsafe_download',
    severity: 'medium',
    confidence: 'high',
    cwe: 494,
    doc: {
      summary: 'Hugging Face Hub download not pinned to a commit',
      why: 'A branch or tag such as "main" or "v1.0" can be moved to new files at any time. Whoever takes over the repository, or pushes to it, can serve a different model or dataset, and model files and loading code can run code when loaded.',
      bad: 'model = AutoModel.from_pretrained("org/model")',
      good: 'model = AutoModel.from_pretrained("org/model", revision="5d0f2e8a7f1b3c4d")',
      fix: 'Pass revision= (or commit_id=) the full commit hash you reviewed.',
      references: [
        'https://huggingface.co/docs/huggingface_hub/en/guides/download',
        'https://cwe.mitre.org/data/definitions/494.html',
      ],
      banditDifferences: 'Names are resolved through imports and assignments (the function must come from transformers, datasets or huggingface_hub); a `revision=` bound to a constant is evaluated (`REV = "main"` is flagged, a hex SHA is not); calls with `**kwargs`, which may carry a revision, are not flagged. Bandit\'s `repository_id` entry, which is not a download function, is not matched.',
    },
  },
  callNames: Object.keys(DOWNLOADERS),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const q = call.qname;
      if (!q) return;
      const parts = q.split('.');
      const fn = parts[parts.length - 1];
      const library = Object.hasOwn(DOWNLOADERS, fn) ? DOWNLOADERS[fn] : undefined;
      if (!library || parts[0] !== library || call.hasUnknownKwargs) return;
      for (const key of ['revision', 'commit_id']) {
        const arg = call.keywords.get(key);
        if (!arg) continue;
        const v = ctx.constant(arg);
        if (v === undefined) return; // chosen at runtime: give the benefit of the doubt, as Bandit does
        if (typeof v === 'string' && COMMIT.test(v)) return;
      }
      const source = argument(call, 'repo_id', 0) ?? call.keywords.get('path') ?? call.keywords.get('pretrained_model_name_or_path');
      const where = source ? ctx.constant(source) : undefined;
      if (typeof where === 'string' && LOCAL.test(where)) return;
      ctx.report(node, { message: `${fn}() downloads from the Hugging Face Hub without pinning a commit: the repository owner (or whoever takes it over) can change what you load; pass revision= a commit hash` });
    },
  },
});
