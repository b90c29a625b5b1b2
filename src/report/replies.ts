// `chirp status --replies`: the replies that ask to stop, as text, and masked for output without --reveal.
// A masked number is no command: without --reveal no `chirp suppress add` is printed (it would add a
// string of dots, or tempt someone to fill the number in by hand), only how to get the commands.
import type { RepliesSummary, ReplyItem } from '../status/index.js';
import { maskRecipient, maskText } from '../util/index.js';
import { terminalLine } from './escape.js';

/** The summary with every number masked (in its note too) and no command. */
export function maskReplies(r: RepliesSummary): RepliesSummary {
  const mask = (i: ReplyItem): ReplyItem => ({ ...i, receiver: i.receiver === null ? null : maskRecipient(i.receiver), command: null });
  // The note may quote what a suppression list or the data holds (an entry chirp cannot read).
  return { ...r, reason: r.reason === null ? null : maskText(r.reason), stop: r.stop.map(mask), mentions: r.mentions.map(mask) };
}

export interface RepliesTextOptions {
  /** Numbers in full, with the commands. */
  reveal: boolean;
  /** The run, for the command that shows the numbers. */
  runId: string;
}

/** Lines after the status text (the summary as given: mask it first unless revealing). */
export function repliesText(r: RepliesSummary, options: RepliesTextOptions): string {
  const n = (count: number, one: string, many = `${one}s`): string => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
  const lines = [
    `replies: ${n(r.replies, 'reply', 'replies')} from recipients of the run (${r.stop.length} ask${r.stop.length === 1 ? 's' : ''} to stop, ${r.mentions.length} mention${r.mentions.length === 1 ? 's' : ''} a stop word)${r.fromOthers ? `; ${n(r.fromOthers, 'message')} from others` : ''}; stop words: ${r.stopWords.map(terminalLine).join(', ')}`,
  ];
  const item = (i: ReplyItem): string => {
    const who = i.receiver === null ? '(sender unknown)' : terminalLine(i.receiver);
    const state = i.onList === true ? 'on a list already' : i.onList === null ? 'lists not checked' : 'not on a list';
    return `  ${who}  ${terminalLine(i.word)}  ${terminalLine(i.at)}  ${state}`;
  };
  if (r.stop.length > 0) lines.push('asks to stop:', ...r.stop.map(item));
  if (r.mentions.length > 0) lines.push('mentions a stop word (read the reply before adding):', ...r.mentions.map(item));
  if (r.reason) lines.push(`  note: ${terminalLine(r.reason)}`);
  const commands = [...r.stop, ...r.mentions].flatMap((i) => (i.command ? [i.command] : []));
  if (options.reveal && commands.length > 0) lines.push('add them with:', ...commands.map((c) => `  ${terminalLine(c)}`));
  else if (!options.reveal && r.notOnList > 0)
    lines.push(
      `add them with the commands \`chirp status ${terminalLine(options.runId)} --replies --reveal\` prints (numbers are masked here)`,
    );
  return `${lines.join('\n')}\n`;
}
