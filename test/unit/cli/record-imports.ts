import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

/**
 * Loaded with `node --import` ahead of the CLI: records every module the process resolves and writes the
 * list to the file named by RECORD_IMPORTS_TO when the process exits, so a test can see what a command loaded.
 */
const file = process.env['RECORD_IMPORTS_TO'];
const urls: string[] = [];
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    urls.push(resolved.url);
    return resolved;
  },
});
process.on('exit', () => {
  if (file) writeFileSync(file, urls.join('\n'));
});
