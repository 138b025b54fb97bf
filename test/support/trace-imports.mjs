// Loaded with `node --import`: reports every package module the process loads on stderr, so a test
// can check that `ts-audit --help` loads no database driver.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(result.url);
      if (m) process.stderr.write('LOADED ' + m[1] + '\\n');
      return result;
    }`)}`,
);
