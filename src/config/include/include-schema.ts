import * as z from 'zod';
import { expected, stringRule } from '../rules.js';

/** `include = ["services/*.toml", "../common/observability.toml"]`, top level only. */
export const includeSchema = z
  .array(z.string(stringRule).min(1, expected('a non-empty path or glob')), expected('an array of paths or globs such as ["services/*.toml"]'))
  .meta({
    description:
      'More config files whose tasks join this project: paths or globs ("*", "?", "[abc]", "**"), relative to this file, followed recursively. A missing path is an error, a glob matching nothing a warning. A file\'s [defaults] applies to its own tasks and to the files it includes (nearest wins).',
    default: [],
  });
