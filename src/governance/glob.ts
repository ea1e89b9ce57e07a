/**
 * Globs over operation ids and principal names: `*` matches any run of characters (including `:`), `?` one
 * character; everything else is literal. `jira:*` matches every Jira operation, `*:*:create` every create.
 */
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`);
    cache.set(glob, re);
  }
  return re;
}

/**
 * True when `value` matches the glob.
 * @example matchesGlob('jira:issues:create', 'jira:*') // true
 */
export function matchesGlob(value: string, glob: string): boolean {
  return glob === '*' || globToRegExp(glob).test(value);
}

export function matchesAnyGlob(value: string, globs: readonly string[]): boolean {
  return globs.some((glob) => matchesGlob(value, glob));
}
