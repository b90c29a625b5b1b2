// The only code that touches process.*: argv in, exit code out. Every error is caught here once.
import { Command, CommanderError } from 'commander';
import { UserError } from '../errors.js';
import { diagnosticsText } from '../report/index.js';
import { EXIT } from './exit-codes.js';
import { processIo, type Io } from './io.js';
import { registerRender } from './render.js';
import { registerValidate } from './validate.js';
import { registerSend } from './send.js';
import { registerPlan } from './plan.js';
import { registerStatus } from './status.js';
import { registerInit } from './init.js';
import { registerSchema } from './schema.js';
import { registerCompletion } from './completion.js';
import { addHelpTails } from './help.js';
import { chirpVersion } from './version.js';


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
  registerInit(program, io);
  registerSchema(program, io);
  registerCompletion(program, io);
  addHelpTails(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Never a stack trace: user errors print their diagnostics, anything else is reported as a bug. */
/** With --detailed-exitcode, 2 means "changes present": errors must not look like it (Terraform's rule). */
function errorExit(argv: readonly string[], code: number): number {
  return code === EXIT.USAGE && argv.includes('plan') && argv.includes('--detailed-exitcode') ? EXIT.PROBLEMS : code;
}

/** The message, then its diagnostics; a lone file-level diagnostic that repeats the message is shown once. */
function userErrorText(error: UserError): string {
  const [only] = error.diagnostics;
  if (error.diagnostics.length === 1 && only !== undefined && only.line === 0 && error.message.endsWith(only.message)) {
    return `${error.message.startsWith('chirp:') ? '' : 'chirp: '}${error.message} (${only.code})\n`;
  }
  const details = diagnosticsText(error.diagnostics, { color: false });
  return `${error.message}\n${details ? `${details}\n` : ''}`;
}

export async function main(argv: string[], io: Io = processIo()): Promise<void> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.OK : errorExit(argv, EXIT.USAGE);
      return;
    }
    if (error instanceof UserError) {
      io.stderr.write(userErrorText(error));
      process.exitCode = errorExit(argv, error.exitCode);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`chirp: internal error: ${message}\nThis is a bug in chirp; please report it with the command you ran.\n`);
    if (io.env.CHIRP_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    process.exitCode = 70;
  }
}

