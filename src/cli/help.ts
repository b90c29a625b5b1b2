// What every command's --help ends with: two or three examples and its exit codes (docs/cli.md has
// the same tables; test/cli/help.test.ts keeps every command covered).
import type { Command } from 'commander';

interface HelpTail {
  examples: string[];
  exit: [code: string, meaning: string][];
}

const USAGE: [string, string] = ['2', 'usage or config error'];

export const HELP_TAILS: Record<string, HelpTail> = {
  validate: {
    examples: [
      'chirp validate',
      'chirp validate messages/releases/notice.yaml --format json',
      'chirp validate releases/notice orders/shipped',
    ],
    exit: [['0', 'valid (warnings allowed)'], ['1', 'problems found (listed as FILE:LINE:COL on stdout)'], USAGE],
  },
  render: {
    examples: [
      'chirp render releases/notice',
      'chirp render releases/notice --data recipients.csv --limit 5',
      'cat rows.ndjson | chirp render releases/notice --data - --data-format ndjson',
    ],
    exit: [['0', 'every row rendered'], ['1', 'some rows failed (reported on stderr, the others printed)'], USAGE],
  },
  send: {
    examples: [
      'chirp send releases/notice --data recipients.csv --dry-run',
      'chirp send releases/notice --data recipients.csv --expect-count 1204 --yes --report report.json',
      'chirp send plan.json --yes',
    ],
    exit: [
      ['0', 'every recipient accepted or already sent (or a clean dry run)'],
      [
        '1',
        'some failed, unknown, not sent, window closed, or invalid rows (then nothing is sent); the window check or a render worker (--threads) failed before the first request (nothing sent)',
      ],
      [
        '2',
        'usage, config or auth error; confirmation refused; --expect-count mismatch; another API origin than earlier runs under --yes (--new-origin)',
      ],
      ['130/143', 'interrupted by SIGINT/SIGTERM (the resume command is printed)'],
    ],
  },
  plan: {
    examples: [
      'chirp plan releases/notice --data recipients.csv',
      'chirp plan --base origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"',
      'chirp plan releases/notice --data recipients.csv --out plan.json',
    ],
    exit: [
      ['0', 'success: no changes, or changes without --detailed-exitcode'],
      ['1', 'an error (with --detailed-exitcode usage errors too), or the change introduces validation problems'],
      ['2', 'changes present, with --detailed-exitcode; otherwise a usage or config error'],
    ],
  },
  status: {
    examples: ['chirp status --wait --timeout 600', 'chirp status --reconcile', 'chirp status --replies --reveal'],
    exit: [
      ['0', 'nothing failed or unknown (with --wait: and every message final)'],
      ['1', 'some failed or unknown, or (with --wait) not final in time, or (with --replies) replies may be missing'],
      USAGE,
    ],
  },
  templates: {
    examples: ['chirp templates pull', 'chirp templates pull --format json'],
    exit: [
      ['0', 'every project locked (templates.lock.json written)'],
      ['1', 'some projects could not be read (the others were written), or Bird could not be reached'],
      ['2', 'usage or config error; the key was refused (the lock is left as it was)'],
    ],
  },
  journal: {
    examples: ['chirp journal check', 'chirp journal check --journal .chirp/journal --format json'],
    exit: [['0', 'nothing is damaged'], ['1', 'some journal file is damaged (FILE:LINE: reason)'], USAGE],
  },
  suppress: {
    examples: [
      'chirp suppress add "06 1234 5678" --reason "replied STOP"',
      'chirp suppress check recipients.csv',
      'chirp suppress check recipients.csv --message releases/notice --format json',
    ],
    exit: [
      ['0', 'added (or on the list already), or checked'],
      ['2', 'no list configured, a list chirp cannot read, an unreadable receiver, or a usage error'],
    ],
  },
  preview: {
    examples: ['chirp preview', 'chirp preview releases/notice --data recipients.csv', 'chirp preview --out site'],
    exit: [
      ['0', 'served and stopped (Ctrl-C), or the site was written'],
      ['2', 'usage or config error, unknown message, port in use (--port), --out with --port'],
    ],
  },
  init: {
    examples: ['chirp init', 'chirp init my-catalog && cd my-catalog && chirp validate'],
    exit: [
      ['0', 'the catalog was created'],
      ['2', 'a file it would write exists (nothing is written), or a usage error'],
    ],
  },
  schema: {
    examples: ['chirp schema', 'chirp schema message > message.schema.json', 'chirp schema --out schemas'],
    exit: [
      ['0', 'printed or written'],
      ['2', 'no such schema, or a usage error'],
    ],
  },
  completion: {
    examples: [
      'chirp completion bash > ~/.local/share/bash-completion/completions/chirp',
      'chirp completion zsh > "${fpath[1]}/_chirp"',
      'chirp completion fish > ~/.config/fish/completions/chirp.fish',
    ],
    exit: [
      ['0', 'the script was printed'],
      ['2', 'unknown shell, or a usage error'],
    ],
  },
};

export function helpTail(tail: HelpTail): string {
  const width = Math.max(...tail.exit.map(([code]) => code.length));
  return [
    '',
    'Examples:',
    ...tail.examples.map((e) => `  $ ${e}`),
    '',
    'Exit codes:',
    ...tail.exit.map(([code, meaning]) => `  ${code.padEnd(width)}  ${meaning}`),
  ].join('\n');
}

/** Adds the examples and exit codes to each command's help (and the main help). */
export function addHelpTails(program: Command): void {
  for (const command of program.commands) {
    const tail = HELP_TAILS[command.name()];
    if (tail) command.addHelpText('after', helpTail(tail));
  }
  program.addHelpText(
    'after',
    helpTail({
      examples: ['chirp init my-catalog', 'chirp validate', 'chirp send releases/notice --data recipients.csv --dry-run'],
      exit: [
        ['0', 'success'],
        ['1', 'problems found (see each command)'],
        ['2', 'usage or config error'],
        ['70', 'a bug in chirp (please report it)'],
      ],
    }) + "\n\nRun chirp help COMMAND for a command's options, examples and exit codes.",
  );
}
