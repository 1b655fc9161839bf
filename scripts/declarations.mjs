// `npm run build`, after tsc has emitted the declarations (tsconfig.build.json): gives their
// relative imports the file they name (`'../api'` → `'../api/index.js'`), as ES modules must
// say it. The source leaves extensions out (moduleResolution `bundler`), which a TypeScript
// user whose moduleResolution is `node16` or `nodenext` refuses in a package's declarations.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const TYPES = 'dist/types';
const RELATIVE = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;

/** The specifier of the declaration file `specifier` names from `file`, with its extension. */
function withExtension(file, specifier) {
  if (/\.(m?js)$/.test(specifier)) return specifier;
  const base = join(dirname(file), specifier);
  if (existsSync(`${base}.d.ts`)) return `${specifier}.js`;
  if (existsSync(join(base, 'index.d.ts'))) return `${specifier}/index.js`;
  throw new Error(`${file}: no declarations for '${specifier}'`);
}

const files = readdirSync(TYPES, { recursive: true })
  .map((file) => join(TYPES, file))
  .filter((file) => file.endsWith('.d.ts'));
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(
    RELATIVE,
    (_, lead, quote, specifier) => `${lead}${quote}${withExtension(file, specifier)}${quote}`,
  );
  if (fixed !== text) writeFileSync(file, fixed);
}
console.log(`${TYPES}: ${files.length} declaration files, relative imports with extensions`);
