/** Running code: eval, exec, compile, dynamic imports. */
import type { FlowModel } from './types.js';

export const codeModel: FlowModel = {
  name: 'eval / exec / imports',
  sinks: [
    { rule: 'PW103', qnames: ['eval', 'exec', 'builtins.eval', 'builtins.exec', 'execfile', 'code.InteractiveInterpreter().runsource', 'code.InteractiveConsole().push'], args: [0, 'source', 'object', 'expression'], description: '`eval(code)` / `exec(code)`' },
    { rule: 'PW103', qnames: ['PIL.ImageMath.eval', 'PIL.ImageMath.unsafe_eval'], args: [0, 'expression'], description: 'Pillow `ImageMath.eval(expression)` evaluates a Python expression (CVE-2022-22817, CVE-2023-50447); `unsafe_eval` says so' },
    { rule: 'PW103', qnames: ['compile', 'builtins.compile'], args: [0, 'source'], description: '`compile(source, ...)`' },
    { rule: 'PW103', qnames: ['__import__', 'importlib.import_module', 'importlib.__import__', 'runpy.run_module', 'runpy.run_path', 'pydoc.locate', 'django.utils.module_loading.import_string', 'werkzeug.utils.import_string'], args: [0, 'name', 'path_name', 'dotted_path', 'import_name'], description: '`importlib.import_module(name)` / `__import__(name)` / `import_string(dotted_path)`' },
  ],
  sanitizers: [
    { qnames: ['ast.literal_eval'], clears: ['PW103'], description: '`ast.literal_eval` parses data, never runs code' },
  ],
};
