/** A location in the config tree: table keys and array indexes. */
export type KeyPath = readonly (string | number)[];

const BARE = /^[A-Za-z0-9_-]+$/;

/** `tasks.web.subscribe[1]`; keys that are not bare TOML keys are quoted: `tasks."web.api"`. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += `${out === '' ? '' : '.'}${BARE.test(segment) ? segment : JSON.stringify(segment)}`;
  }
  return out;
}
