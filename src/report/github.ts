// GitHub Actions workflow commands (https://docs.github.com/actions/reference/workflow-commands):
// `::error file=…,line=…,col=…,title=…::message`, so problems show on the lines of a pull request.
import type { Diagnostic } from '../types.js';
import { sortDiagnostics } from './diagnostics.js';

/** Data of a workflow command: '%', CR and LF are escaped. */
const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A property value: also ':' and ','. */
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * One workflow command per diagnostic. `path` maps a diagnostic's file to the path relative to the
 * repository root (GitHub matches annotations to the diff by that path).
 */
export function githubAnnotations(list: readonly Diagnostic[], path: (file: string) => string): string {
  return sortDiagnostics(list)
    .map((d) => {
      const command = d.severity === 'error' ? 'error' : 'warning';
      const props = [`file=${escapeProperty(path(d.file))}`];
      if (d.line > 0) props.push(`line=${d.line}`);
      if (d.line > 0 && d.column > 0) props.push(`col=${d.column}`);
      props.push(`title=${escapeProperty(d.code)}`);
      return `::${command} ${props.join(',')}::${escapeData(`${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`)}\n`;
    })
    .join('');
}

/** `key=value` lines for $GITHUB_OUTPUT; values are single-line by construction. */
export function githubOutputs(values: Record<string, string | number | boolean>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${String(v).replace(/[\r\n]/g, ' ')}\n`)
    .join('');
}
