import type { Rule } from '../rule.js';
import { bidiControlCharacters } from './bidi-control-characters.js';
import { callWithShellTrue } from './call-with-shell-true.js';
import { djangoExtra } from './django-extra.js';
import { djangoRawSql } from './django-raw-sql.js';
import { huggingfaceUnpinnedDownload } from './huggingface-unpinned-download.js';
import { loggingConfigListen } from './logging-config-listen.js';
import { paramikoExecCommand } from './paramiko-exec-command.js';
import { sqlStringBuilding } from './sql-string-building.js';
import { startProcessPartialPath } from './start-process-partial-path.js';
import { startProcessWithShell } from './start-process-with-shell.js';
import { startProcessWithoutShell } from './start-process-without-shell.js';
import { subprocessWithShell } from './subprocess-with-shell.js';
import { subprocessWithoutShell } from './subprocess-without-shell.js';
import { torchLoad } from './torch-load.js';
import { wildcardInShellCommand } from './wildcard-in-shell-command.js';

/** B6xx: injection. */
export const injectionRules: Rule[] = [
  paramikoExecCommand,
  subprocessWithShell,
  subprocessWithoutShell,
  callWithShellTrue,
  startProcessWithShell,
  startProcessWithoutShell,
  startProcessPartialPath,
  sqlStringBuilding,
  wildcardInShellCommand,
  djangoExtra,
  djangoRawSql,
  loggingConfigListen,
  bidiControlCharacters,
  torchLoad,
  huggingfaceUnpinnedDownload,
];
