#!/usr/bin/env node
// Entry point of the `m3e` command. The TypeScript sources are compiled to dist/ by
// `npm ci` (the `prepare` script); run `npm run build` after editing them.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'app', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('m3e: not built yet: run `npm run build` (npm ci does it for you)\n');
  process.exit(2);
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
