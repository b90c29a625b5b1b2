// `chirp journal check`: list what in the journal folder chirp cannot read or verify, and what each
// damaged file covered, so the user can decide (restore it, move it, or send with --damaged-as-unknown).
import type { Command } from 'commander';
import type { JournalCheckResult, RunList } from '../index.js';
import { terminalLine } from '../report/index.js';
import type { ChirpJournalCheckOutput } from '../schema/index.js';
import { write, type Io } from './io.js';
import { libraryOptions, oneOf, type GlobalOptions } from './options.js';

interface CheckFlags {
  journal?: string;
  format: 'text' | 'json';
}

function text(result: JournalCheckResult): string {
  const out: string[] = [];
  for (const f of result.files) {
    const what = f.runId
      ? `run ${terminalLine(String(f.runId))} (${terminalLine(f.messageId ?? '?')}, format ${terminalLine(String(f.format ?? '?'))}, ${f.recipients ?? 0} recipients)`
      : 'unreadable';
    out.push(
      `${f.damage.length > 0 ? 'DAMAGED' : 'ok     '}  ${terminalLine(f.path)}  ${what}${f.torn ? `  (${f.torn} torn last line: harmless)` : ''}`,
    );
    for (const d of f.damage)
      out.push(
        `         ${terminalLine(f.path)}${d.line !== undefined ? `:${d.line}` : ''}: ${terminalLine(d.reason)}${d.keys !== undefined ? ` (names ${d.keys} recipient key${d.keys === 1 ? '' : 's'})` : ''}`,
      );
  }
  if (result.files.length === 0) out.push(`no journals in ${result.dir}`);
  out.push(
    result.damaged > 0
      ? `${result.damaged} of ${result.files.length} journal file(s) damaged. chirp send refuses while they are in ${result.dir}: restore them from a backup, move them out, or send with --damaged-as-unknown (every recipient they may cover is held back as unknown).`
      : `${result.files.length} journal file(s), none damaged.`,
  );
  return `${out.join('\n')}\n`;
}

function listText(list: RunList): string {
  if (list.runs.length === 0 && list.unreadable.length === 0) return `no runs in ${list.dir} yet\n`;
  const counts = (r: RunList['runs'][number]): string =>
    [
      `${r.total ?? '?'} recipients`,
      `${r.accepted} accepted`,
      ...(r.failed ? [`${r.failed} failed`] : []),
      ...(r.unknown ? [`${r.unknown} unknown`] : []),
      ...(r.resendable ? [`${r.resendable} resendable`] : []),
      ...(r.windowClosed ? [`${r.windowClosed} window closed`] : []),
      ...(r.notSent ? [`${r.notSent} never sent`] : []),
    ].join(', ');
  const rows = list.runs.map((r) => [
    r.runId,
    terminalLine(r.message),
    r.startedAt,
    `${r.state}${r.ended && r.ended !== 'complete' ? ` (${r.ended})` : r.ended === null && r.state !== 'sending' ? ' (never ended)' : ''}`,
    `${counts(r)}${r.damaged ? `, ${r.damaged} damaged lines` : ''}`,
  ]);
  const header = ['RUN', 'MESSAGE', 'STARTED', 'STATE', 'COUNTS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]!) : c))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  for (const u of list.unreadable) out.push(`unreadable: ${terminalLine(u.path)}: ${terminalLine(u.message)}`);
  out.push(`${list.runs.length} run(s) in ${list.dir}; chirp status RUN fetches delivery statuses`);
  return `${out.join('\n')}\n`;
}

export function registerJournal(program: Command, io: Io): void {
  const journal = program.command('journal').description('inspect the send journal');
  journal
    .command('list')
    .description('list the runs in the journal folder, newest first: run id, message, started, state, counts')
    .option('--journal <dir>', 'journal folder (default: .chirp/journal in the catalog)')
    .option('--format <format>', 'text or json', oneOf('--format', ['text', 'json'] as const), 'text')
    .action(async (flags: CheckFlags, command: Command) => {
      const { journalList } = await import('../usecases/journal.js');
      const list = await journalList({
        ...libraryOptions(io, command.optsWithGlobals<GlobalOptions>()),
        ...(flags.journal ? { journal: flags.journal } : {}),
        pid: process.pid,
      });
      await write(io.stdout, flags.format === 'json' ? `${JSON.stringify(list, null, 2)}\n` : listText(list));
      process.exitCode = 0;
    })
    .exitOverride();
  journal
    .command('check')
    .description('read every journal in the folder and list what is damaged (exit 1 if anything is)')
    .option('--journal <dir>', 'journal folder (default: .chirp/journal in the catalog)')
    .option('--format <format>', 'text or json', oneOf('--format', ['text', 'json'] as const), 'text')
    .action(async (flags: CheckFlags, command: Command) => {
      const { journalCheck } = await import('../usecases/journal.js');
      const result = await journalCheck({
        ...libraryOptions(io, command.optsWithGlobals<GlobalOptions>()),
        ...(flags.journal ? { journal: flags.journal } : {}),
      });
      const output: ChirpJournalCheckOutput = { version: 1, ...result }; // schemas/journal-check-output.schema.json
      await write(io.stdout, flags.format === 'json' ? `${JSON.stringify(output, null, 2)}\n` : text(result));
      process.exitCode = result.damaged > 0 ? 1 : 0;
    })
    .exitOverride();
}
