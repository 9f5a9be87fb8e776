/** File-system paths: open, os, shutil, pathlib, archives. */
import type { FlowModel } from './types.js';

export const filesModel: FlowModel = {
  name: 'files and paths (open, os, shutil, pathlib)',
  sinks: [
    { rule: 'PW104', qnames: ['open', 'builtins.open', 'io.open', 'codecs.open', 'os.open', 'aiofiles.open', 'tarfile.open', 'zipfile.ZipFile', 'gzip.open', 'bz2.open', 'lzma.open', 'shelve.open'], args: [0, 'file', 'filename', 'name', 'path'], description: '`open(path)`' },
    { rule: 'PW104', qnames: ['os.remove', 'os.unlink', 'os.rmdir', 'os.removedirs', 'os.rename', 'os.renames', 'os.replace', 'os.mkdir', 'os.makedirs', 'os.chmod', 'os.chown', 'os.listdir', 'os.scandir', 'os.symlink', 'os.link', 'os.truncate', 'os.utime'], args: [0, 1, 'path', 'src', 'dst'], description: '`os.remove(path)` and other `os` file operations' },
    { rule: 'PW104', qnames: ['shutil.copy', 'shutil.copy2', 'shutil.copyfile', 'shutil.copytree', 'shutil.move', 'shutil.rmtree', 'shutil.make_archive', 'shutil.unpack_archive', 'shutil.chown'], args: [0, 1, 'src', 'dst', 'path', 'filename', 'extract_dir'], description: '`shutil.*(path)`' },
    { rule: 'PW104', methods: ['read_text', 'read_bytes', 'write_text', 'write_bytes', 'unlink', 'rmdir', 'touch', 'iterdir', 'open'], args: [], receiver: true, description: '`pathlib.Path(path).read_text()` and other `Path` file operations' },
  ],
  sanitizers: [
    { qnames: ['os.path.basename', 'posixpath.basename', 'ntpath.basename'], clears: ['PW104'], description: '`os.path.basename` drops every directory part' },
    { qnames: ['os.path.exists', 'os.path.isfile', 'os.path.isdir', 'os.path.getsize', 'os.path.getmtime', 'os.path.isabs'], clears: 'all', description: 'a yes/no or a number about a path, not the path' },
    { qnames: ['open', 'builtins.open', 'io.open', 'codecs.open', 'os.open', 'aiofiles.open', 'gzip.open', 'bz2.open', 'lzma.open'], methods: ['open'], clears: ['PW104'], description: 'an opened file is no longer a path (`FileResponse(open(path))` is reported once, at `open`)' },
  ],
  passThrough: [
    { qnames: ['os.path.join', 'posixpath.join', 'ntpath.join', 'os.path.normpath', 'os.path.abspath', 'os.path.realpath', 'os.path.expanduser', 'os.path.dirname', 'os.path.splitext', 'os.fspath', 'os.fsencode', 'os.fsdecode'], description: '`os.path` functions return paths built from their arguments' },
    { qnames: ['pathlib.Path', 'pathlib.PurePath', 'pathlib.PosixPath', 'pathlib.WindowsPath'], description: '`Path(value)`' },
    { methods: ['resolve', 'absolute', 'joinpath', 'with_name', 'with_suffix', 'expanduser'], from: ['receiver', 0], description: '`Path` methods return paths built from the path and their arguments' },
  ],
};
