import { defineRule } from '../rule.js';

export const insecurePackageIndex = defineRule({
  meta: {
    id: 'PW503',
    name: 'insecure-package-index',
    severity: 'high',
    confidence: 'high',
    cwe: 829,
    doc: {
      summary: 'Package index over plain HTTP, a trusted host, or an extra index (dependency confusion)',
      why: 'An `http://` index or `--trusted-host` lets anyone on the network path swap packages. `--extra-index-url` makes pip pick the highest version from any index, so an attacker who publishes your private package name on PyPI with a higher version gets installed instead (dependency confusion). Read from requirements/constraints files and from pyproject.toml: uv (`[[tool.uv.index]]`, `extra-index-url`, `find-links`, `allow-insecure-host`, `index-strategy = "unsafe-best-match"`), Poetry and PDM sources (`url`, `verify_ssl = false`); uv and Poetry search extra indexes in order, so there only plain HTTP and turned-off TLS are reported.',
      bad: '--extra-index-url http://pypi.internal.example/simple\n--trusted-host pypi.internal.example',
      good: '--index-url https://pypi.internal.example/simple  # one index that proxies PyPI',
      fix: 'Use one HTTPS index (a proxy that mirrors PyPI and serves your private packages), drop --trusted-host, and pin with hashes.',
      references: ['https://pip.pypa.io/en/stable/cli/pip_install/#finding-packages', 'https://cwe.mitre.org/data/definitions/829.html'],
    },
  },
  visit: {},
  dependencies(ctx) {
    // pyproject.toml settings are not pip options: the message names them as what they are
    const pyproject = ctx.file.format === 'pyproject.toml';
    for (const option of ctx.file.options ?? []) {
      if (!ctx.isAdded(option.line)) continue;
      const plainHttp = /^http:\/\//i.test(option.value);
      if (option.name === 'trusted-host') {
        const what = pyproject ? `TLS verification is turned off for ${option.value}` : `--trusted-host ${option.value} turns off TLS verification for that host`;
        ctx.reportLine(option.line, { message: `${what}: anyone on the network path can serve you a different package` });
      } else if (option.name === 'extra-index-url') {
        ctx.reportLine(option.line, {
          message: `--extra-index-url ${option.value}${plainHttp ? ' is plain HTTP, and' : ''} lets pip take a package from whichever index has the highest version: a public package with your private name wins (dependency confusion); use a single index that proxies PyPI`,
        });
      } else if ((option.name === 'index-url' || option.name === 'find-links' || option.name === 'index') && plainHttp) {
        const what = !pyproject ? `--${option.name}` : option.name === 'find-links' ? 'Flat index (find-links)' : 'Package index';
        ctx.reportLine(option.line, { message: `${what} ${option.value} is plain HTTP: packages can be replaced in transit; use https://` });
      } else if (option.name === 'index-strategy') {
        ctx.reportLine(option.line, {
          message: `index-strategy = "${option.value}" lets uv take a package from any configured index (the highest version with unsafe-best-match): a public package with your private name can win (dependency confusion); keep the default first-index strategy`,
        });
      }
    }
  },
});
