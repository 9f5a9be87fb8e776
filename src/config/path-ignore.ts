/** `paths.ignore` globs, applied the same way by the CLI and the app. */
import picomatch from 'picomatch';

/**
 * `paths.ignore` on repository paths, as a tree scan applies it: a glob without a slash matches any file or
 * directory name, and a directory glob covers everything below it.
 */
export function ignoreMatcher(globs: readonly string[]): ((path: string) => boolean) | undefined {
  if (!globs.length) return undefined;
  const match = picomatch([...globs], { dot: true, matchBase: true });
  return (path) => {
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (match(prefix) || (i < parts.length && match(`${prefix}/`))) return true;
    }
    return false;
  };
}
