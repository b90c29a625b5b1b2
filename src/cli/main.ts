// The only code that touches process.*: argv in, exit code out. Every error is caught here once.
import { Command, CommanderError } from 'commander';
import { CODES, UserError } from '../errors.js';
import { diagnosticsText, safeLineStart, terminalText } from '../report/index.js';

/** An error's text as printed: control characters shown, and no line of it can start a GitHub workflow command. */
const shown = (text: string): string => terminalText(text).split('\n').map(safeLineStart).join('\n');
import { errorExitCode, EXIT, exitCode } from './exit-codes.js';
import { HINTS } from './hints.js';
import { processIo, type Io } from './io.js';
import { registerRender } from './render.js';
import { registerValidate } from './validate.js';
import { registerSend } from './send.js';
import { registerPlan } from './plan.js';
import { registerStatus } from './status.js';
import { registerTemplates } from './templates.js';
import { registerJournal } from './journal.js';
import { chirpVersion } from '../version.js';
import { registerPreview } from './preview.js';
import { registerInit } from './init.js';
import { registerSchema } from './schema.js';
import { registerCompletion } from './completion.js';
import { addHelpTails } from './help.js';
import { refuseUnknownCommands, unknownHelpTopic } from './unknown.js';

export function buildProgram(io: Io): Command {
  const program = new Command('chirp')
    .description('Messages as config for the Bird Channels API (WhatsApp first)')
    .version(chirpVersion())
    .option('--config <file>', 'chirp.config.yaml to use (default: found by walking up from the current folder)')
    .showHelpAfterError('(run chirp --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  registerValidate(program, io);
  registerRender(program, io);
  registerSend(program, io);
  registerPlan(program, io);
  registerStatus(program, io);
  registerTemplates(program, io);
  registerJournal(program, io);
  registerPreview(program, io);
  registerInit(program, io);
  registerSchema(program, io);
  registerCompletion(program, io);
  addHelpTails(program);
  refuseUnknownCommands(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** `chirp: message`, the diagnostics behind it, then the code with its title and the CLI's advice. */
export function userErrorText(error: UserError): string {
  // A lone file-level diagnostic that repeats the message is shown once (`… does not exist`).
  const [only] = error.diagnostics;
  if (error.diagnostics.length === 1 && only !== undefined && only.line === 0 && error.message.endsWith(only.message)) {
    const message = error.message.startsWith('chirp: ') ? error.message : `chirp: ${error.message}`;
    return `${shown(message)} (${only.code})\n  ${error.code}: ${CODES[error.code]}${HINTS[error.code] ? `; ${HINTS[error.code]}` : ''}\n`;
  }
  const details = diagnosticsText(error.diagnostics, { color: false });
  const hint = HINTS[error.code];
  const message = error.message.startsWith('chirp: ') ? error.message : `chirp: ${error.message}`;
  return `${shown(message)}\n${details ? `${details}\n` : ''}  ${error.code}: ${CODES[error.code]}${hint ? `; ${hint}` : ''}\n`;
}

/** `chirp render … | head -1`: the reader left. Nothing more can be said to it; stop at once. */
function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

function onBrokenPipe(error: Error): void {
  // Exit 141 (128 + SIGPIPE), as a process killed by SIGPIPE reports in a shell: output was cut short.
  if (isBrokenPipe(error)) process.exit(EXIT.BROKEN_PIPE);
  throw error;
}

/** Never a stack trace: user errors print their diagnostics, anything else is reported as a bug. */
export async function main(argv: string[], io: Io = processIo()): Promise<void> {
  const program = buildProgram(io);
  // With --detailed-exitcode, 2 means "changes present": the exit-code table keeps errors apart.
  const detailedExitcode = argv.includes('plan') && argv.includes('--detailed-exitcode');
  io.stdout.on('error', onBrokenPipe);
  io.stderr.on('error', onBrokenPipe);
  try {
    const unknownTopic = unknownHelpTopic(program, argv.slice(2));
    if (unknownTopic) throw unknownTopic;
    await program.parseAsync(argv);
  } catch (error) {
    if (isBrokenPipe(error)) process.exit(EXIT.BROKEN_PIPE);
    if (error instanceof CommanderError && error.code === 'commander.unknownCommand' && error.message.startsWith('chirp: ')) {
      io.stderr.write(`${error.message}\n`);
      process.exitCode = exitCode({ command: 'error', kind: 'usage', code: 2, detailedExitcode });
      return;
    }
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : exitCode({ command: 'error', kind: 'usage', code: 2, detailedExitcode });
      return;
    }
    if (error instanceof UserError) {
      io.stderr.write(userErrorText(error));
      process.exitCode = exitCode({ command: 'error', kind: 'user', code: errorExitCode(error.code), detailedExitcode });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`chirp: internal error: ${shown(message)}\nThis is a bug in chirp; please report it with the command you ran.\n`);
    if (io.env.CHIRP_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    process.exitCode = exitCode({ command: 'bug' });
  }
}
