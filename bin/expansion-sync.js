#!/usr/bin/env node
// Entry for `npx expansion-sync`. The sources are TypeScript run directly by Node 24's type stripping,
// so there is no build step; the project pins Node 24 as a devDependency and npm puts it first on PATH.
import '../src/cli/main.ts';
