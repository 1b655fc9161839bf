// The documentation as test/e2e/docs.spec.ts reads it: README.md and docs/*.md, their fenced
// code blocks, links and headings.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The languages a block may be tagged with: how the test treats each is in docs.spec.ts. */
export const LANGUAGES = ['js', 'html', 'css', 'sh', 'http', 'text'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Block {
  /** The file, relative to the repository: `docs/log.md`. */
  readonly file: string;
  /** The line of its opening fence, from 1. */
  readonly line: number;
  /** Its tag, as written (`''` when untagged). */
  readonly lang: string;
  readonly code: string;
}

/** README.md and every markdown page of docs/, relative to the repository. */
export function documentationFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
  return ['README.md', ...docs.sort()];
}

export const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The fenced blocks of `file`, in order; a block in a list item loses its indentation. */
export function blocksOf(file: string): Block[] {
  const lines = read(file).split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j]!.trim() !== fence; j++)
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!);
    if (j === lines.length) throw new Error(`${file}:${i + 1}: a code block is never closed`);
    blocks.push({ file, line: i + 1, lang, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** Where a block is, for a failure's message. */
export const where = (block: Block) => `${block.file}:${block.line}`;

/** A `js` block that imports the package: it runs as a module, not in the console. */
export const importsPackage = (block: Block) =>
  block.lang === 'js' && /^\s*import\b[^;]*['"]tabstream(\/[\w.-]+)?['"]/m.test(block.code);

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The relative links and image sources of `file` (outside code) whose file or heading does not exist. */
export function brokenLinks(file: string): string[] {
  const text = read(file).replace(/^(\s*)(`{3,})[\s\S]*?^\1\2\s*$/gm, '');
  const broken: string[] = [];
  for (const [, link, source] of text.matchAll(/\]\(([^)\s]+)\)|\ssrc="([^"]+)"/g)) {
    const target = link ?? source;
    if (/^[a-z]+:/.test(target!)) continue; // http:, mailto:
    const [path, anchor] = target!.split('#') as [string, string | undefined];
    const linked = path ? join(dirname(file), path) : file;
    if (!existsSync(join(ROOT, linked))) {
      broken.push(`${file}: ${target} (no file ${linked})`);
      continue;
    }
    if (anchor === undefined) continue;
    const headings = [...read(linked).matchAll(/^#{1,6} (.+)$/gm)].map(([, h]) => anchorOf(h!));
    if (!headings.includes(anchor)) broken.push(`${file}: ${target} (no heading #${anchor})`);
  }
  return broken;
}
