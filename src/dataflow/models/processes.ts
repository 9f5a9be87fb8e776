/** Starting programs: subprocess, os, asyncio, pexpect, paramiko, fabric. */
import type { FlowModel } from './types.js';

const SUBPROCESS = ['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen', 'asyncio.subprocess.Popen'];

export const processesModel: FlowModel = {
  name: 'subprocess / os / asyncio (processes)',
  sinks: [
    { rule: 'PW102', qnames: SUBPROCESS, args: [0, 'args'], when: 'shell-true', description: '`subprocess.*(cmd, shell=True)`' },
    { rule: 'PW102', qnames: SUBPROCESS, args: [0, 'args', 'executable'], program: true, when: 'shell-not-true', description: 'the program `subprocess.*([program, ...])` starts' },
    { rule: 'PW102', qnames: ['subprocess.getoutput', 'subprocess.getstatusoutput', 'os.system', 'os.popen', 'os.popen2', 'os.popen3', 'os.popen4', 'commands.getoutput', 'commands.getstatusoutput', 'popen2.popen2', 'popen2.popen3', 'popen2.popen4', 'platform.popen'], args: [0, 'cmd', 'command'], description: '`os.system(cmd)` / `os.popen(cmd)` (a shell)' },
    { rule: 'PW102', qnames: ['asyncio.create_subprocess_shell', 'asyncio.subprocess.create_subprocess_shell'], args: [0, 'cmd'], description: '`asyncio.create_subprocess_shell(cmd)`' },
    { rule: 'PW102', qnames: ['asyncio.create_subprocess_exec', 'asyncio.subprocess.create_subprocess_exec', 'os.execl', 'os.execle', 'os.execlp', 'os.execlpe', 'os.execv', 'os.execve', 'os.execvp', 'os.execvpe', 'os.startfile', 'pty.spawn'], args: [0, 'program', 'path', 'file', 'argv'], program: true, description: 'the program `os.exec*` / `create_subprocess_exec` starts' },
    { rule: 'PW102', qnames: ['os.spawnl', 'os.spawnle', 'os.spawnlp', 'os.spawnlpe', 'os.spawnv', 'os.spawnve', 'os.spawnvp', 'os.spawnvpe'], args: [1, 'path', 'file'], program: true, description: 'the program `os.spawn*(mode, path, ...)` starts' },
    { rule: 'PW102', qnames: ['os.posix_spawn', 'os.posix_spawnp'], args: [0, 'path'], program: true, description: 'the program `os.posix_spawn(path, argv, env)` starts' },
    { rule: 'PW102', qnames: ['pexpect.spawn', 'pexpect.run', 'pexpect.popen_spawn.PopenSpawn', 'sh.Command', 'plumbum.local.__getitem__'], args: [0, 'command', 'cmd'], description: '`pexpect.spawn(cmd)`' },
    { rule: 'PW102', methods: ['exec_command'], args: [0, 'command'], description: 'paramiko `SSHClient.exec_command(cmd)` (a remote shell)' },
    { rule: 'PW102', qnames: ['fabric.Connection().run', 'fabric.Connection().sudo', 'invoke.run', 'fabric.api.local', 'fabric.api.run', 'fabric.api.sudo'], args: [0, 'command'], description: 'fabric/invoke `run(cmd)` (a shell)' },
  ],
  sanitizers: [
    { qnames: ['shlex.quote', 'pipes.quote', 'shlex.join'], clears: ['PW102'], description: '`shlex.quote` makes a value one shell word' },
  ],
};
