// The runnable content of a README: its fenced code blocks, each with the doc-test directive
// written in an HTML comment on the line before it (invisible on GitHub):
//   <!-- doc-test: clone -->            run only in a clone of the repository
//   <!-- doc-test: installed -->        run only in a project that installed the tarball
//   (none)                              run in both
//   <!-- doc-test: skip: why -->        not run; the reason is printed
// A `console` block holds commands (`$ cmd`, a trailing `&` runs it in the background) each
// followed by its documented output. A block whose first line is `// file: name` (or
// `# file: name`) is written to that file, so later commands can run it.
import { readFileSync } from 'node:fs';

export type Context = 'clone' | 'installed';

export interface Command {
  line: number;
  cmd: string;
  background: boolean;
  /** Documented output lines (see match.ts for the wildcards). */
  expected: string[];
}

export type Block =
  | { kind: 'console'; doc: string; line: number; contexts: Context[]; commands: Command[] }
  | { kind: 'file'; doc: string; line: number; contexts: Context[]; name: string; text: string }
  | { kind: 'skip'; doc: string; line: number; why: string };

const DIRECTIVE = /^<!--\s*doc-test:\s*(.*?)\s*-->$/;
const FILE_HEADER = /^(?:\/\/|#)\s*file:\s*(\S+)\s*$/;

export function readBlocks(path: string, doc: string): Block[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\S*)/.exec(lines[i]);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    const directive = DIRECTIVE.exec(lines[start - 1]?.trim() ?? '')?.[1];
    const where = `${doc}:${start + 1}`;
    if (directive?.startsWith('skip:')) {
      blocks.push({ kind: 'skip', doc, line: start + 1, why: directive.slice(5).trim() });
      continue;
    }
    const contexts: Context[] =
      directive === 'clone' || directive === 'installed'
        ? [directive]
        : directive === undefined
          ? ['clone', 'installed']
          : fail(`${where}: unknown doc-test directive '${directive}'`);
    const file = FILE_HEADER.exec(body[0] ?? '');
    if (file) blocks.push({ kind: 'file', doc, line: start + 1, contexts, name: file[1], text: body.slice(1).join('\n') + '\n' });
    else if (fence[1] === 'console')
      blocks.push({ kind: 'console', doc, line: start + 1, contexts, commands: parseConsole(body, start + 2, where) });
    else
      fail(
        `${where}: a \`${fence[1] || 'plain'}\` block that the doc test neither runs nor skips: make it a console block, start it with '// file: <name>', or say why not with <!-- doc-test: skip: … -->`,
      );
  }
  return blocks;
}

function parseConsole(body: string[], firstLine: number, where: string): Command[] {
  const commands: Command[] = [];
  for (let i = 0; i < body.length; i++) {
    if (!body[i].startsWith('$ ')) {
      if (!commands.length) fail(`${where}: a console block must start with a '$ ' command line`);
      commands[commands.length - 1].expected.push(body[i]);
      continue;
    }
    let cmd = body[i].slice(2);
    const line = firstLine + i;
    while (cmd.endsWith('\\') && i + 1 < body.length) cmd = cmd.slice(0, -1) + body[++i].trimStart();
    const background = /\s&$/.test(cmd);
    commands.push({ line, cmd: background ? cmd.replace(/\s&$/, '') : cmd, background, expected: [] });
  }
  for (const c of commands) while (c.expected.length && c.expected[c.expected.length - 1].trim() === '') c.expected.pop();
  return commands;
}

function fail(msg: string): never {
  throw new Error(msg);
}
