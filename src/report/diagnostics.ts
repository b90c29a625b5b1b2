// Diagnostics as text lines (`FILE:LINE:COL  error  CODE  message`) or as versioned JSON.
import type { ChirpValidateOutput } from '../schema/index.js';
import type { Diagnostic } from '../types.js';
import type { MessageCoverage } from '../diff/index.js';
import { safeLineStart, terminalLine } from './escape.js';

export interface Style {
  color: boolean;
}

const paint = (on: boolean, code: number, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

export function formatDiagnostic(d: Diagnostic, style: Style = { color: false }): string {
  // File names, messages and hints quote data: escape sequences in them are shown, never run.
  const where = `${safeLineStart(terminalLine(d.file))}:${d.line}:${d.column}`;
  const severity = d.severity === 'error' ? paint(style.color, 31, 'error') : paint(style.color, 33, 'warning');
  const hint = d.hint ? ` (hint: ${terminalLine(d.hint)})` : '';
  return `${where}  ${severity}  ${d.code}  ${terminalLine(d.message)}${hint}`;
}

/** Errors first within a file, files in order, lines ascending. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
}

export function countBySeverity(list: readonly Diagnostic[]): { errors: number; warnings: number } {
  const errors = list.filter((d) => d.severity === 'error').length;
  return { errors, warnings: list.length - errors };
}

export function diagnosticsText(list: readonly Diagnostic[], style?: Style): string {
  return sortDiagnostics(list)
    .map((d) => formatDiagnostic(d, style))
    .join('\n');
}

/** `chirp validate --format json`: version 1. */
export function validateJson(result: { files: number; diagnostics: readonly Diagnostic[]; coverage?: readonly MessageCoverage[] }): string {
  const { errors, warnings } = countBySeverity(result.diagnostics);
  const output: ChirpValidateOutput = {
    version: 1,
    files: result.files,
    errors,
    warnings,
    diagnostics: sortDiagnostics(result.diagnostics),
    ...(result.coverage ? { coverage: [...result.coverage] } : {}),
  };
  return JSON.stringify(output, null, 2);
}

/** `chirp validate --coverage`: per message, its branches, how many are reached, and which examples reach what. */
export function coverageText(coverage: readonly MessageCoverage[], style: Style = { color: false }): string {
  const out: string[] = ['Coverage: which examples reach each template branch'];
  for (const c of coverage) {
    const reached = c.branches.filter((b) => b.rows.length > 0).length;
    const total = c.branches.length;
    out.push(
      `${terminalLine(c.id)} (${terminalLine(c.file)}): ${total === 0 ? 'no branches' : `${reached} of ${total} branch${total === 1 ? '' : 'es'} reached`} (${c.rows} example${c.rows === 1 ? '' : 's'})`,
    );
    for (const b of c.branches) {
      const mark = b.rows.length > 0 ? paint(style.color, 32, '✓') : paint(style.color, 31, '✗');
      const by = b.rows.length > 0 ? `example${b.rows.length === 1 ? '' : 's'} ${b.rows.join(', ')}` : 'no example';
      out.push(`  ${mark} ${terminalLine(b.where)}  ${terminalLine(b.branch)}: ${by}`);
    }
  }
  return `${out.join('\n')}\n`;
}
