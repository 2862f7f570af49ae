// bench/RESULTS.md, written by the benchmarks: each adds its run as a section of its own part.

/**
 * RESULTS.md is in parts, one per benchmark ("# End-to-end benchmark results", "# Kernel
 * benchmark", …): `section` goes last in the part headed `part` (the first part by default; a
 * part not there yet is added at the end).
 */
export function withSection(md: string, section: string, part?: string): string {
  const start = part === undefined ? 0 : md.indexOf(`\n${part}\n`);
  if (start < 0) return `${md.replace(/\n*$/, '\n')}\n${part}\n${section.replace(/^\n*/, '\n')}`;
  const next = md.indexOf('\n# ', start + 1);
  return next < 0 ? md + section : md.slice(0, next + 1) + section.replace(/^\n*/, '') + '\n' + md.slice(next + 1);
}
