// An unknown command or help topic is a one-line usage error naming the closest command (exit 2),
// not commander's three lines or the whole help with exit 0.
import { CommanderError, type Command } from 'commander';
import { nearestName } from '../util/index.js';

const names = (command: Command): string[] => command.commands.map((c) => c.name()).filter((n) => n !== 'help');

/** `chirp: unknown command "templates nosuch"; the closest is "templates pull" (…)`: the error to throw. */
export function unknownCommandError(parent: Command, path: readonly string[], word: string): CommanderError {
  const prefix = path.length > 0 ? `${path.join(' ')} ` : '';
  const closest = nearestName(word, names(parent));
  const list = path.length > 0 ? `chirp help ${path.join(' ')}` : 'chirp --help';
  return new CommanderError(
    2,
    'commander.unknownCommand',
    `chirp: unknown command "${prefix}${word}"${closest ? `; the closest is "${prefix}${closest}"` : ''} (${list} lists them)`,
  );
}

/** Every command with subcommands answers an unknown one with the one-line error (commander's `command:*` event). */
export function refuseUnknownCommands(program: Command): void {
  const visit = (command: Command, path: string[]): void => {
    if (command.commands.length === 0) return;
    command.on('command:*', (operands: string[]) => {
      throw unknownCommandError(command, path, operands[0] ?? '');
    });
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
}

/**
 * `chirp help WORDS…`: the first word that names no command, as the error to throw (commander would
 * print the whole help and exit 0). Global options before `help` (`--config FILE`) are skipped.
 */
export function unknownHelpTopic(program: Command, args: readonly string[]): CommanderError | undefined {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i += args[i] === '--config' ? 2 : 1;
  if (args[i] !== 'help') return undefined;
  let command = program;
  const path: string[] = [];
  for (const word of args.slice(i + 1)) {
    if (word.startsWith('-') || (word === 'help' && path.length === 0)) break;
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) return unknownCommandError(command, path, word);
    command = sub;
    path.push(word);
  }
  return undefined;
}
