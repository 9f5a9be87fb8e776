/** Input of whoever runs the program: `input()`, `sys.argv`, standard input, argparse, click, typer; and the environment. */
import type { FlowModel } from './types.js';

export const commandLineModel: FlowModel = {
  name: 'command line, standard input, environment',
  sources: [
    { qnames: ['input()', 'raw_input()', 'builtins.input()'], kind: 'local', description: '`input()`' },
    { qnames: ['sys.argv', 'sys.orig_argv'], kind: 'local', description: '`sys.argv`' },
    { qnames: ['sys.stdin', 'sys.stdin.read()', 'sys.stdin.readline()', 'sys.stdin.readlines()', 'fileinput.input()', 'getpass.getpass()'], kind: 'local', description: 'standard input (`sys.stdin.read()`)' },
    { qnames: ['argparse.ArgumentParser().parse_args()', 'argparse.ArgumentParser().parse_known_args()', 'optparse.OptionParser().parse_args()'], kind: 'local', description: 'parsed command-line options (`parser.parse_args()`)' },
    { qnames: ['os.environ', 'os.environb', 'os.getenv()', 'os.getenvb()', 'os.environ.get()', 'os.environ.__getitem__()'], kind: 'environment', description: 'environment variables (`os.environ`, `os.getenv()`), where they reach a shell' },
  ],
  entryPoints: [
    {
      description: 'click and typer commands: their parameters come from the command line',
      kind: 'local',
      decorators: ['click.command', 'click.command()', 'click.group()', 'click.group', 'click.argument()', 'click.option()', 'typer.Typer().command()', 'typer.Typer().command', 'typer.Typer().callback()'],
      whenImports: ['click', 'typer'],
      parameters: { skip: ['self', 'ctx'], rest: true },
    },
  ],
  noReturn: [
    { qnames: ['sys.exit', 'exit', 'quit', 'os._exit', 'os.abort', 'click.Context().fail', 'argparse.ArgumentParser().error', 'argparse.ArgumentParser().exit'], description: 'the program ends' },
  ],
};
