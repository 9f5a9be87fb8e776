import { extract } from '../../../src/dependencies/extractors/setup-cfg/extract.js';

const SETUP_CFG = `[metadata]
name = demo

[options]
python_requires = >=3.8
setup_requires = setuptools-scm
install_requires =
    zipp>=0.5
    # a comment line
    pathlib2; python_version < '3'

    requests[socks] >= 2.0  # why we need it
    not valid ((
packages = find:

[options.extras_require]
testing =
    pytest>=6
    importlib_resources>=1.3; python_version < "3.9"
docs: sphinx; rst.linker

[mypy]
install_requires = ignored
`;

describe('setup.cfg', () => {
  it('reads install_requires and extras_require with the line of each requirement', () => {
    const result = extract(SETUP_CFG, 'setup.cfg');
    expect(result.format).toBe('setup.cfg');
    expect(result.dependencies).toEqual([
      { name: 'zipp', normalizedName: 'zipp', specifier: '>=0.5', source: 'index', line: 8, direct: true },
      { name: 'pathlib2', normalizedName: 'pathlib2', markers: "python_version < '3'", source: 'index', line: 10, direct: true },
      { name: 'requests', normalizedName: 'requests', specifier: '>=2.0', extras: ['socks'], source: 'index', line: 12, direct: true },
      { name: 'pytest', normalizedName: 'pytest', specifier: '>=6', source: 'index', line: 18, direct: true, groups: ['testing'] },
      { name: 'importlib_resources', normalizedName: 'importlib-resources', specifier: '>=1.3', markers: 'python_version < "3.9"', source: 'index', line: 19, direct: true, groups: ['testing'] },
      // setuptools splits a one-line value on `;`
      { name: 'sphinx', normalizedName: 'sphinx', source: 'index', line: 20, direct: true, groups: ['docs'] },
      { name: 'rst.linker', normalizedName: 'rst-linker', source: 'index', line: 20, direct: true, groups: ['docs'] },
    ]);
    expect(result.skipped).toEqual([{ line: 13, text: 'not valid ((', reason: 'invalid version specifier "valid (("' }]);
  });

  it('skips the file: directive', () => {
    expect(extract('[options]\ninstall_requires = file: requirements.in\n', 'setup.cfg').skipped).toEqual([
      { line: 2, text: 'file: requirements.in', reason: 'file: directive (requirements read from another file) is not followed' },
    ]);
  });
});
