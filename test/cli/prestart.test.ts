/** Which `pyward` invocations start scan workers before the CLI loads (bin/pyward.js). */
import { availableParallelism } from 'node:os';
import { workersFor } from '../../src/cli/prestart.js';
import { tempTree } from '../helpers/cli.js';

describe('workersFor', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) files[`m${i}.py`] = 'x = 1\n';
  const dir = tempTree(files);
  const many = Object.keys(files);

  it('a tree scan wants the CPU count (or --jobs) minus the main thread', () => {
    expect(workersFor(['scan', '.'], dir)).toBe(Math.max(0, availableParallelism() - 1));
    expect(workersFor(['scan'], dir)).toBe(Math.max(0, availableParallelism() - 1));
    expect(workersFor(['scan', '--jobs', '3', '.'], dir)).toBe(2);
    expect(workersFor(['scan', '--jobs=4', dir], '/')).toBe(3);
    expect(workersFor(['scan', '-j', '2', ...many], dir)).toBe(1);
  });

  it('none for one thread, a diff, a few named files, or another command', () => {
    expect(workersFor(['scan', '--jobs', '1', '.'], dir)).toBe(0);
    expect(workersFor(['scan', '--diff', 'main..HEAD'], dir)).toBe(0);
    expect(workersFor(['scan', '-j', '2', 'm1.py', 'm2.py'], dir)).toBe(0);
    expect(workersFor(['scan', '-j', '2', 'missing.py'], dir)).toBe(0);
    expect(workersFor(['rules'], dir)).toBe(0);
  });
});
