// `chirp suppress add RECEIVER` and `chirp suppress check DATA`: the suppression lists (opt-outs)
// named in chirp.config.yaml, from the command line.
import type { Command } from 'commander';
import type { SuppressCheckResult } from '../index.js';
import { maskRecipient } from '../util/index.js';
import { terminalLine } from '../report/index.js';
import type { DataFormat } from '../types.js';
import { write, type Io } from './io.js';
import { checkReveal, libraryOptions, oneOf, type GlobalOptions } from './options.js';
import { DATA_FORMATS } from './render.js';

interface AddFlags {
  reason?: string;
  list?: string;
  country?: string;
}

interface CheckFlags {
  message?: string;
  dataFormat?: DataFormat;
  format: 'text' | 'json';
  reveal?: boolean;
  revealInCi?: boolean;
}

function checkText(result: SuppressCheckResult, data: string, reveal: boolean): string {
  const out: string[] = [];
  for (const s of result.suppressed) {
    const who = s.recipient === undefined ? '' : ` ${reveal ? s.recipient : maskRecipient(s.recipient)}`;
    const why = s.reason === 'no-consent' ? 'no opt-in recorded' : 'opted out (on a suppression list)';
    out.push(`${terminalLine(data)}${s.line !== undefined ? `:${s.line}` : ''}: row ${s.row}${who}: ${why}`);
  }
  const lists = result.lists.length > 0 ? result.lists.map((l) => `${l.file} (${l.entries.toLocaleString('en-US')})`).join(', ') : 'none';
  const n = result.suppressed.length;
  out.push(
    `${n.toLocaleString('en-US')} of ${result.rows.toLocaleString('en-US')} row${result.rows === 1 ? '' : 's'} would be skipped (suppressed); lists: ${lists}`,
  );
  return `${out.join('\n')}\n`;
}

export function registerSuppress(program: Command, io: Io): void {
  const suppress = program.command('suppress').description('suppression lists: who opted out and is never sent to');
  suppress
    .command('add')
    .description('add a receiver (phone number or e-mail address) to a suppression list: normalised, once, atomically')
    .argument(
      '<receiver>',
      "the phone number (any spelling; one without a country code is read in --country, else the config's defaultCountry) or e-mail address",
    )
    .option('--reason <text>', 'why (e.g. "replied STOP"): written beside the entry with the date, where the format has room')
    .option('--list <file>', 'which of the configured lists (default: the first in `suppress:`)')
    .option(
      '--country <code>',
      "the country (ISO 3166-1 alpha-2, e.g. BE) to read a number without a country code in (default: the config's defaultCountry); stored with its country code",
    )
    .action(async (receiver: string, flags: AddFlags, command: Command) => {
      const { suppressAdd } = await import('../usecases/suppress.js');
      const result = await suppressAdd({
        ...libraryOptions(io, command.optsWithGlobals<GlobalOptions>()),
        receiver,
        ...(flags.reason !== undefined ? { reason: flags.reason } : {}),
        ...(flags.list !== undefined ? { list: flags.list } : {}),
        ...(flags.country !== undefined ? { country: flags.country } : {}),
        pid: process.pid,
      });
      // Said out loud: a number without a country code names a person only in a country.
      if (result.readIn)
        await write(
          io.stderr,
          `note: ${terminalLine(receiver.trim())} has no country code: read in ${result.readIn.country}${result.readIn.from === 'config' ? ' (defaultCountry of chirp.config.yaml)' : ''} as ${result.receiver}${result.readIn.from === 'config' ? '; for a number of another country give --country or write it with its country code' : ''}\n`,
        );
      await write(
        io.stdout,
        result.added
          ? `added ${result.receiver} to ${terminalLine(result.file)}\n`
          : `${result.receiver} is on ${terminalLine(result.file)} already; nothing changed\n`,
      );
    })
    .exitOverride();
  suppress
    .command('check')
    .description('list the rows of a data file that a send would skip: on a suppression list, or (with --message) without opt-in')
    .argument('<data>', "recipients: CSV, JSON array or NDJSON ('-' for stdin)")
    .option(
      '--message <id>',
      "read the rows as this message does (its `to`, its `consent:` column); default: the data's receiver, phone or email column",
    )
    .option('--data-format <format>', 'csv, json or ndjson (default: from the file extension)', oneOf('--data-format', DATA_FORMATS))
    .option('--format <format>', 'text or json', oneOf('--format', ['text', 'json'] as const), 'text')
    .option('--reveal', 'show the numbers and addresses in full (default: masked)')
    .option('--reveal-in-ci', 'allow --reveal when CI is set')
    .action(async (data: string, flags: CheckFlags, command: Command) => {
      checkReveal(io.env, flags);
      const { suppressCheck } = await import('../usecases/suppress.js');
      const result = await suppressCheck({
        ...libraryOptions(io, command.optsWithGlobals<GlobalOptions>()),
        data: { path: data, ...(flags.dataFormat ? { format: flags.dataFormat } : {}), input: io.stdin },
        ...(flags.message !== undefined ? { message: flags.message } : {}),
      });
      const reveal = flags.reveal ?? false;
      const shown = reveal
        ? result
        : { ...result, suppressed: result.suppressed.map((s) => (s.recipient ? { ...s, recipient: maskRecipient(s.recipient) } : s)) };
      await write(
        io.stdout,
        flags.format === 'json'
          ? `${JSON.stringify({ version: 1, lists: shown.lists, rows: shown.rows, suppressed: shown.suppressed.length, skipped: shown.suppressed }, null, 2)}\n`
          : checkText(result, data, reveal),
      );
    })
    .exitOverride();
}
