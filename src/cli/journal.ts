// `chirp journal check`: list what in the journal folder chirp cannot read or verify, and what each
// damaged file covered, so the user can decide (restore it, move it, or send with --damaged-as-unknown).
import type { Command } from 'commander';
import type { JournalCheckResult } from '../index.js';
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
      ? `run ${f.runId} (${f.messageId ?? '?'}, format ${f.format ?? '?'}, ${f.recipients ?? 0} recipients)`
      : 'unreadable';
    out.push(`${f.damage.length > 0 ? 'DAMAGED' : 'ok     '}  ${f.path}  ${what}${f.torn ? `  (${f.torn} torn last line: harmless)` : ''}`);
    for (const d of f.damage)
      out.push(
        `         ${f.path}${d.line !== undefined ? `:${d.line}` : ''}: ${d.reason}${d.keys !== undefined ? ` (names ${d.keys} recipient key${d.keys === 1 ? '' : 's'})` : ''}`,
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

export function registerJournal(program: Command, io: Io): void {
  const journal = program.command('journal').description('inspect the send journal');
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
      await write(io.stdout, flags.format === 'json' ? `${JSON.stringify({ version: 1, ...result }, null, 2)}\n` : text(result));
      process.exitCode = result.damaged > 0 ? 1 : 0;
    })
    .exitOverride();
}
