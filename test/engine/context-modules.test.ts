/** Which unchanged project modules a change's Python files import, and where they may live. */
import { contextCandidates, importsOf, moduleCandidates } from '../../src/engine/context-modules.js';
import { pythonParser } from '../../src/python/parser.js';

describe('moduleCandidates', () => {
  it.each([
    // relative: against the importer's package
    ['app/views.py', '.db', ['app/db.py', 'app/db/__init__.py']],
    ['app/__init__.py', '.db', ['app/db.py', 'app/db/__init__.py']],
    ['app/views.py', '.', ['app.py', 'app/__init__.py']],
    ['app/api/views.py', '..db', ['app/db.py', 'app/db/__init__.py']],
    ['app/api/views.py', '..pkg.x', ['app/pkg/x.py', 'app/pkg/x/__init__.py']],
    ['app/views.py', '..db', ['db.py', 'db/__init__.py']],
    ['views.py', '..db', []], // above the repository
    ['views.py', '.', []], // the root is no package
    // absolute: the root, a folder above the importer named like the package, src/, the importer's folder
    ['app/views.py', 'app.db', ['app/db.py', 'app/db/__init__.py', 'src/app/db.py', 'src/app/db/__init__.py', 'app/app/db.py', 'app/app/db/__init__.py']],
    [
      'backend/app/views.py',
      'app.db',
      ['backend/app/db.py', 'backend/app/db/__init__.py', 'app/db.py', 'app/db/__init__.py', 'src/app/db.py', 'src/app/db/__init__.py', 'backend/app/app/db.py', 'backend/app/app/db/__init__.py'],
    ],
    ['run.py', 'helpers', ['helpers.py', 'helpers/__init__.py', 'src/helpers.py', 'src/helpers/__init__.py']],
    ['a/b/c.py', 'x.y.z', ['x/y/z.py', 'x/y/z/__init__.py', 'src/x/y/z.py', 'src/x/y/z/__init__.py', 'a/b/x/y/z.py', 'a/b/x/y/z/__init__.py']],
    // the standard library is never the project's
    ['app/views.py', 'os.path', []],
    ['app/views.py', 'subprocess', []],
    ['app/views.py', '__future__', []],
  ])('%s importing %s', (importer, module, expected) => {
    expect(moduleCandidates(importer, module)).toEqual(expected);
  });
});

describe('importsOf', () => {
  it.each([
    ['import a.b.c', ['a.b.c']],
    ['import a as x, b', ['a', 'b']],
    ['from a import b', ['a', 'a.b']],
    ['from a.b import (c,\n    d as e)', ['a.b', 'a.b.c', 'a.b.d']],
    ['from .db import run_query', ['.db', '.db.run_query']],
    ['from . import db', ['.', '.db']],
    ['from ..pkg import x', ['..pkg', '..pkg.x']],
    ['from app.models import *', ['app.models']],
    ['def f():\n    import lazy.mod\n', ['lazy.mod']],
    ['s = "import not_a_module"\n# import nor_this', []],
    ['import (broken', ['broken']], // tree-sitter recovers the name; a guess that does not exist costs nothing
  ])('%j', async (text, expected) => {
    expect(importsOf(await pythonParser(), text)).toEqual(expected);
  });
});

describe('contextCandidates', () => {
  const VIEW = 'import requests\nimport os\nfrom app.models import User\nfrom .db import run_query\n';

  it('orders relative imports, then the changed files\' packages, then the rest', async () => {
    const parser = await pythonParser();
    expect(contextCandidates(parser, [{ path: 'app/views.py', text: VIEW }])).toEqual([
      'app/db.py',
      'app/db/__init__.py',
      'app/db/run_query.py',
      'app/db/run_query/__init__.py',
      'app/models.py',
      'app/models/__init__.py',
      'src/app/models.py',
      'src/app/models/__init__.py',
      'app/app/models.py',
      'app/app/models/__init__.py',
      'app/models/User.py',
      'app/models/User/__init__.py',
      'src/app/models/User.py',
      'src/app/models/User/__init__.py',
      'app/app/models/User.py',
      'app/app/models/User/__init__.py',
      'requests.py',
      'requests/__init__.py',
      'src/requests.py',
      'src/requests/__init__.py',
      'app/requests.py',
      'app/requests/__init__.py',
    ]);
  });

  it.each([
    ['known paths only', { known: new Set(['app/db.py', 'app/models/__init__.py', 'lib/other.py']) }, ['app/db.py', 'app/models/__init__.py']],
    ['excluded (changed) paths dropped', { known: new Set(['app/db.py', 'app/models.py']), exclude: new Set(['app/db.py']) }, ['app/models.py']],
    ['ignored paths dropped', { known: new Set(['app/db.py', 'app/models.py']), isIgnored: (p: string) => p.startsWith('app/m') }, ['app/db.py']],
  ])('%s', async (_name, options, expected) => {
    expect(contextCandidates(await pythonParser(), [{ path: 'app/views.py', text: VIEW }], options)).toEqual(expected);
  });

  it('lists a path once, in the place of its first import', async () => {
    const files = [
      { path: 'app/a.py', text: 'from .db import q\n' },
      { path: 'app/b.py', text: 'from app import db\nfrom . import db\n' },
    ];
    const known = new Set(['app/db.py', 'app/__init__.py']);
    expect(contextCandidates(await pythonParser(), files, { known })).toEqual(['app/db.py', 'app/__init__.py']);
  });
});
