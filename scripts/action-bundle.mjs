#!/usr/bin/env node
/**
 * Builds the GitHub Action's committed bundle: `uses: <owner>/pyward@<ref>` runs action.yml's `main` with
 * the runner's Node and no `npm install`, so a source ref must carry the code and its dependencies in one file.
 *
 *   npm run action:bundle              # writes action-dist/ (commit it)
 *   node scripts/action-bundle.mjs DIR # elsewhere (the staleness test compares DIR with action-dist/)
 *
 * DIR gets index.mjs (src/action/main.ts and what it imports, minified ESM for Node 20), the two WASM files
 * the parser loads (found beside the bundle: src/python/wasm-files.ts) and licenses.txt (the bundled
 * packages' licenses). The output depends only on the sources and node_modules as package-lock.json pins
 * them: no dates, no paths of the machine that built it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ACTION_DIST = 'action-dist';
const ENTRY = 'src/action/main.ts';
const REGENERATE = 'npm run action:bundle';

/** Files loaded at run time, not imported: copied beside the bundle under their own names. */
const ASSETS = [
  { pkg: 'web-tree-sitter', file: 'tree-sitter.wasm' },
  { pkg: 'tree-sitter-python', file: 'tree-sitter-python.wasm' },
];

/**
 * The lazy loads of src/ (recheck, scslre, yaml, package.json) are `require('x')` calls on a module-level
 * `const require = createRequire(import.meta.url)`, which esbuild cannot follow. Without that line they are
 * calls of the free `require`, which esbuild bundles, still evaluated at the first call.
 */
const LOCAL_REQUIRE = /^const require = createRequire\(import\.meta\.url\);$/m;
/** Any other createRequire would load a package from node_modules at run time: the bundle has none. */
const OTHER_LOAD = /createRequire\(import\.meta\.url\)\(/;

function sourcePlugin(root) {
  return {
    name: 'pyward-sources',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const file = relative(root, args.path).split(sep).join('/');
        if (!file.startsWith('src/')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (OTHER_LOAD.test(text)) {
          return { errors: [{ text: `${file} loads a module through createRequire(import.meta.url)(...), which the bundle cannot include: use a module-level \`const require = createRequire(import.meta.url);\` and literal require('...') calls` }] };
        }
        return { contents: text.replace(LOCAL_REQUIRE, '// (bundled: the require() calls below are esbuild\'s)'), loader: 'ts' };
      });
    },
  };
}

/**
 * Two substitutions, each with the same behaviour as the installed code:
 * - `probot`: the Action uses only ProbotOctokit (Octokit with Probot's retry, throttling, pagination,
 *   REST methods and request logging). Probot's index also loads its server, pino and webhooks, and its
 *   package declares no `sideEffects`, so the bundle takes the module that defines ProbotOctokit instead.
 * - src/package-info.ts's `../package.json`: only the fields it reads, so that editing package.json's
 *   scripts or devDependencies does not change the bundle.
 */
function substitutionPlugin(root) {
  const probotDir = dependencyDir(root, 'probot');
  return {
    name: 'pyward-substitutions',
    setup(b) {
      b.onResolve({ filter: /^probot$/ }, () => ({ path: join(probotDir, 'lib/octokit/probot-octokit.js') }));
      b.onResolve({ filter: /^\.\.\/package\.json$/ }, (args) => {
        if (relative(root, args.importer).split(sep).join('/') !== 'src/package-info.ts') return undefined;
        return { path: 'package.json', namespace: 'pyward-package' };
      });
      b.onLoad({ filter: /.*/, namespace: 'pyward-package' }, () => {
        const { version, repository } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
        return { contents: JSON.stringify({ version, repository }), loader: 'json' };
      });
    },
  };
}

/**
 * A direct dependency's directory, as npm installs it (node_modules/<name>), not its real path: node_modules
 * may be a symlink, and the paths esbuild writes into the bundle must not depend on where it points.
 */
function dependencyDir(root, name) {
  const dir = join(root, 'node_modules', name);
  if (!existsSync(join(dir, 'package.json'))) throw new Error(`${name} is not installed in ${root}/node_modules: run npm ci`);
  return dir;
}

/** `node_modules/a` or `node_modules/a/node_modules/@s/b` of a bundled file; undefined for pyward's own. */
function packageDir(input) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m?.[1];
}

/** licenses.txt: each bundled package (and each WASM file's) with its version, license and license text. */
function licenseNotice(root, dirs) {
  const entries = [...new Set(dirs)]
    .map((dir) => {
      const meta = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      const licenseFile = readdirSync(join(root, dir))
        .filter((f) => /^(licen[cs]e|copying)(\.|$|-)/i.test(f))
        .sort()[0];
      const license = typeof meta.license === 'string' ? meta.license : (meta.license?.type ?? 'UNKNOWN');
      const text = licenseFile ? readFileSync(join(root, dir, licenseFile), 'utf8').replace(/\r\n/g, '\n').trim() : `(no license file in the package; package.json says ${license})`;
      return { name: meta.name, version: meta.version, license, text };
    })
    .sort((a, b) => (a.name === b.name ? a.version.localeCompare(b.version) : a.name < b.name ? -1 : 1));
  const head = `Third-party software in pyward's GitHub Action bundle (${ACTION_DIST}/), generated by \`${REGENERATE}\`.\n${entries.length} packages.\n`;
  return `${head}${entries.map((e) => `\n${'-'.repeat(80)}\n${e.name}@${e.version} (${e.license})\n\n${e.text}\n`).join('')}`;
}

/** Refuses to empty a directory that is not a bundle's (a typo such as `.` or `src`). */
function emptyOutput(out, root) {
  if (!existsSync(out)) return;
  const ours = /^(index\.mjs|licenses\.txt|.*\.wasm)$/;
  const foreign = readdirSync(out).filter((f) => !ours.test(f));
  if (root === out || root.startsWith(out + sep) || foreign.length) throw new Error(`${out} holds other files (${foreign.slice(0, 3).join(', ') || 'the project'}): not a bundle directory`);
  rmSync(out, { recursive: true });
}

/** Writes the bundle into `out` (emptied first); returns its files, relative to `out`, with their sizes. */
export async function bundleAction(out = join(ROOT, ACTION_DIST), root = ROOT) {
  out = resolve(out);
  emptyOutput(out, root);
  mkdirSync(out, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: [ENTRY],
    outfile: join(out, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    // node_modules may be a symlink (a git worktree sharing the main checkout's): paths stay under root.
    preserveSymlinks: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    banner: {
      // CommonJS packages in an ES module: their require() of Node's built-in modules needs a `require`, and
      // synckit (recheck's) reads `__dirname` when it loads (the module's own directory: here, the bundle's).
      js: [
        `// pyward's GitHub Action, generated by \`${REGENERATE}\` from ${ENTRY}: do not edit. Licenses: licenses.txt.`,
        'import{createRequire as __pywardCreateRequire}from"node:module";import{dirname as __pywardDirname}from"node:path";import{fileURLToPath as __pywardFileURLToPath}from"node:url";',
        'const require=__pywardCreateRequire(import.meta.url),__filename=__pywardFileURLToPath(import.meta.url),__dirname=__pywardDirname(__filename);',
      ].join('\n'),
    },
    plugins: [sourcePlugin(root), substitutionPlugin(root)],
  });
  const packages = Object.keys(result.metafile.inputs).map(packageDir).filter(Boolean);
  for (const { pkg, file } of ASSETS) {
    const dir = dependencyDir(root, pkg);
    // Contents only: web-tree-sitter ships its .wasm executable, and git would record that mode.
    writeFileSync(join(out, file), readFileSync(join(dir, file)));
    packages.push(relative(root, dir).split(sep).join('/'));
  }
  writeFileSync(join(out, 'licenses.txt'), licenseNotice(root, packages));
  return readdirSync(out)
    .sort()
    .map((file) => ({ file, bytes: readFileSync(join(out, file)).length }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? join(ROOT, ACTION_DIST));
  const files = await bundleAction(out);
  for (const { file, bytes } of files) process.stdout.write(`${relative(process.cwd(), join(out, file))}  ${(bytes / 1024).toFixed(0)} KiB\n`);
}
