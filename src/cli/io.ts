// The process-facing edges the commands share: environment, streams, colour.
import { open } from 'node:fs/promises';
import { scrubText } from '../util/index.js';
export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Colour on stderr/stdout only for a terminal and without NO_COLOR. */
  color: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

/**
 * Everything chirp prints goes through here: the access key is removed by value, whatever put it in
 * the text (a server's echo, an error message). A key shorter than 6 characters is not a real one
 * and would blank out ordinary words.
 */
function scrubbing<S extends NodeJS.WritableStream>(stream: S, key: string | undefined): S {
  if (key === undefined || key.length < 6) return stream;
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const cleanChunk = (chunk: unknown): unknown => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
    if (text === undefined) return chunk;
    // Every spelling of the key (URL-encoded, base64, another case, a long prefix): src/util/scrub.ts.
    const clean = scrubText(text, key);
    return clean === text ? chunk : clean;
  };
  stream.write = (chunk: unknown, ...rest: unknown[]) => write(cleanChunk(chunk), ...rest);
  return stream;
}

/** The edges of one run of chirp: the process's own (processIo), or given streams (tests run chirp in-process). */
export interface IoParts {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** An Io over the given edges: the access key scrubbed from both output streams, colour only on a terminal. */
export function makeIo(parts: IoParts): Io {
  const { env } = parts;
  const key = env.BIRD_ACCESS_KEY?.trim();
  scrubbing(parts.stdout, key);
  scrubbing(parts.stderr, key);
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return {
    cwd: parts.cwd,
    env,
    stdout: parts.stdout,
    stderr: parts.stderr,
    stdin: parts.stdin,
    color: !noColor && parts.stdout.isTTY === true,
    stdoutIsTTY: parts.stdout.isTTY === true,
    stderrIsTTY: parts.stderr.isTTY === true,
  };
}

export function processIo(): Io {
  return makeIo({ cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
}

/** Write and wait until the chunk is handed to the OS (so large outputs through pipes are complete). */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Write a file only its owner can read (0600): failures files and saved plans hold phone numbers.
 * An existing file is truncated and narrowed to 0600 too, not left as it was.
 */
export async function writePrivate(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}
