// Documented output against real output. Exact, line by line (trailing spaces ignored), with
// two wildcards a README can use where the real output varies or is too long to show:
//   …           inside a line: any text;  on a line of its own: any number of lines
//   <n> ms      any duration in milliseconds (machines differ; int8 scores do not, so
//               percentages and scores stay exact)
import { stripVTControlCharacters } from 'node:util';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function lineRegex(expected: string): RegExp {
  const parts = expected
    .trimEnd()
    .split('…')
    .map((p) => escapeRegExp(p).replace(/\d+(?:\\\.\d+)? ms\b/g, '\\d+(?:\\.\\d+)? ms'));
  return new RegExp(`^${parts.join('.*?')}$`);
}

/** Whether `actual` lines fit `expected` (with the wildcards above). */
export function matches(expected: string[], actual: string[]): boolean {
  const want = expected.map((e) => (e.trim() === '…' ? undefined : lineRegex(e)));
  const got = actual.map((a) => a.trimEnd());
  const memo = new Map<number, boolean>();
  const from = (i: number, j: number): boolean => {
    const key = i * (got.length + 1) + j;
    if (memo.has(key)) return memo.get(key)!;
    let ok: boolean;
    if (i === want.length) ok = j === got.length;
    else if (want[i] === undefined) ok = from(i + 1, j) || (j < got.length && from(i, j + 1));
    else ok = j < got.length && want[i]!.test(got[j]) && from(i + 1, j + 1);
    memo.set(key, ok);
    return ok;
  };
  return from(0, 0);
}

/** The real output's lines without trailing blank lines and without ANSI colours. */
export function outputLines(text: string): string[] {
  const lines = stripVTControlCharacters(text).replace(/\r/g, '').split('\n');
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}
