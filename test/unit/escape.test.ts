// report/escape.ts: what data can do to a terminal, a markdown comment or HTML (issue 11, case 6).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { htmlText, markdownCode, markdownFence, markdownText, terminalLine, terminalText } from '../../src/report/escape.js';
import { createTemplateEnv } from '../../src/render/template.js';
import { RenderFailure } from '../../src/render/helpers.js';
import {
  diagnosticsText,
  githubAnnotations,
  githubOutputs,
  planMarkdown,
  planText,
  sendPlanMarkdown,
  sendPlanText,
  sendSummaryMarkdown,
  sendText,
  statusText,
} from '../../src/report/index.js';
import type { Diagnostic } from '../../src/types.js';
import type { SendReport } from '../../src/send/index.js';
import type { MessagePlan, PlanDiff } from '../../src/diff/index.js';
import type { StatusSummary } from '../../src/status/index.js';

describe('escaping', () => {
  it('shows control characters instead of sending them to the terminal', () => {
    expect(terminalText('a\u001b[2Jb\u0000c\u009bd')).toBe('a\\x1b[2Jb\\x00c\\x9bd');
    expect(terminalText('tab\tnew\nline')).toBe('tab\tnew\nline');
    expect(terminalLine('two\nlines')).toBe('two\\nlines');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        // eslint-disable-next-line no-control-regex -- the point of the test
        expect(terminalLine(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      }),
    );
  });

  it('leaves no HTML and no markdown syntax from data outside code', () => {
    const evil = '</details><img src=x onerror=alert(1)> [x](http://evil) **b** | `c`';
    const md = markdownText(evil);
    expect(md).not.toMatch(/<|>|\]\(/);
    expect(md).toContain('&lt;/details&gt;');
    expect(htmlText('<b a="1">')).toBe('&lt;b a=&quot;1&quot;&gt;');
  });

  it('makes code spans and fences that no backtick run inside can close', () => {
    expect(markdownCode('a ``` b')).toBe('````a ``` b````');
    const fence = markdownFence(['+ x ````` y'], 'diff');
    expect(fence.split('\n')[0]).toBe('``````diff');
    expect(fence.split('\n').at(-1)).toBe('``````');
  });
});

describe('printed values in templates', () => {
  const env = createTemplateEnv();
  const failure = (source: string, data: object): RenderFailure => {
    try {
      env.compile(source)(data);
    } catch (error) {
      if (error instanceof RenderFailure) return error;
      throw error;
    }
    throw new Error(`${source} rendered`);
  };

  it('refuses objects and lists in both the plain path and Handlebars, naming the variable', () => {
    for (const source of ['Hi {{big}}', 'Hi {{big}}{{#if x}}!{{/if}}']) {
      for (const big of [{ a: 1 }, [1, 2], [{ a: 1 }]]) {
        const error = failure(source, { big, x: true });
        expect(error.code).toBe('E_VALUE_NOT_TEXT');
        expect(error.variable).toBe('big');
      }
    }
    expect(failure('{{default big "x"}}', { big: { a: 1 } }).code).toBe('E_VALUE_NOT_TEXT');
  });

  it('refuses #each over anything but a list; absent or empty renders the else branch', () => {
    for (const tags of ['abc', 42, true, { a: 1 }])
      expect(failure('{{#each tags}}{{this}}{{/each}}', { tags }).code).toBe('E_EACH_NOT_LIST');
    expect(env.compile('{{#each tags}}{{this}},{{else}}none{{/each}}')({ tags: [] })).toBe('none');
    expect(env.compile('{{#each tags}}{{this}},{{else}}none{{/each}}')({})).toBe('none');
    expect(env.compile('{{#each tags}}{{this}},{{/each}}')({ tags: ['a', 1] })).toBe('a,1,');
  });

  it('refuses control characters in printed values but keeps tab and line breaks', () => {
    expect(failure('Hi {{name}}', { name: 'A\u0000' }).code).toBe('E_CONTROL_CHAR');
    expect(failure('Hi {{upper name}}', { name: 'A\u001b[2J' }).code).toBe('E_CONTROL_CHAR');
    expect(env.compile('{{name}}')({ name: 'a\tb\r\nc\nd' })).toBe('a\tb\r\nc\nd');
  });
});

// Issue 29: random control characters, markdown, HTML and `::` pushed through every reporter. No output
// line may start a GitHub workflow command unless chirp wrote that annotation, no raw control character
// may reach a text output, and data never opens markdown or HTML structure (the skeleton of a markdown
// output with hostile data is the skeleton it has with plain data).
describe('every reporter, with hostile data', () => {
  const PIECES = [
    '::error title=Forged::x',
    '::add-mask::',
    '\n',
    '\r\n',
    '\n::warning::y',
    '\u202e',
    '\u2028',
    '\u001b[2J',
    '\u009b',
    '\t',
    '\u0000',
    '</details>',
    '<img src=x onerror=alert(1)>',
    '</table>',
    '## heading',
    '[link](https://evil.example)',
    '```',
    '````',
    '|',
    '`',
    '*',
    '<!--',
    '-->',
    '%0A',
    '> quote',
    '- item',
  ];
  const hostile = fc
    .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 6 })), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.join(''));

  function diagnostic(s: string): Diagnostic {
    return { code: 'E_ROW_INVALID', severity: 'error', file: s, line: 3, column: 4, pointer: '', message: s, hint: s };
  }

  function sendReport(s: string): SendReport {
    const sample = { row: 2, recipient: s, runId: s, at: s, message: s };
    return {
      version: 1,
      status: 'failed',
      message: s,
      channelId: s,
      workspace: s,
      runId: s,
      journal: s,
      resumed: false,
      recipients: 3,
      invalid: 1,
      duplicates: 1,
      alreadySent: 1,
      unknownSkipped: 1,
      failedBefore: 1,
      toSend: 1,
      fallback: 1,
      windowClosed: 1,
      reachedEarlier: 1,
      reachedWithEarlierVersion: 1,
      apiOrigin: s,
      otherOrigins: [{ runId: s, apiOrigin: s, startedAt: s }],
      accepted: 1,
      failed: 1,
      unknown: 1,
      notSent: 1,
      batches: 1,
      batchSize: 1,
      rate: 1,
      estimatedSeconds: 1,
      seconds: 1,
      stop: { reason: s, message: s },
      failureGroups: [{ status: s, code: s, message: s, count: 2 }],
      failures: [{ row: 1, recipient: s, status: s, code: s, message: s }],
      samples: {
        invalid: [diagnostic(s)],
        duplicates: [diagnostic(s)],
        alreadySent: [sample],
        unknown: [sample],
        failedBefore: [sample],
        fallback: [sample],
        windowClosed: [sample],
        reachedEarlier: [sample],
        conflicts: [sample],
        localeFallback: [sample],
      },
      samplesOmitted: {
        invalid: 0,
        duplicates: 0,
        alreadySent: 0,
        unknown: 0,
        failedBefore: 0,
        fallback: 0,
        windowClosed: 0,
        reachedEarlier: 0,
        conflicts: 0,
        failures: 0,
        localeFallback: 0,
      },
      locales: [{ locale: s, recipients: 2, fallback: 1 }],
      suppressed: 2,
      noConsent: 1,
      batchesSent: 1,
      resumeCommand: s,
    } as unknown as SendReport;
  }

  function planDiff(s: string): PlanDiff {
    const entries = [
      { path: s, kind: 'added' as const, after: s },
      { path: s, kind: 'removed' as const, before: s },
      { path: s, kind: 'changed' as const, before: s, after: s },
      {
        path: s,
        kind: 'text' as const,
        lines: [
          { op: '+' as const, text: s },
          { op: '-' as const, text: s },
        ],
      },
    ];
    const problem = { code: s, message: s, where: s };
    const message = (status: MessagePlan['status'], extra: Partial<MessagePlan> = {}): MessagePlan => ({
      id: s,
      status,
      renamedFrom: s,
      file: s,
      rows: 2,
      distinct: 2,
      invalid: 1,
      invalidRows: [problem],
      duplicates: 1,
      recipients: 2,
      destination: [{ path: 'destination.channel', kind: 'changed', before: s, after: s }],
      groups: [{ count: 2, sample: { row: 1, recipient: s }, personal: [s], entries, locale: s }],
      locales: [{ locale: s, recipients: 2, changed: 1 }],
      recipientsNotShown: 1,
      introduced: [problem],
      fixed: [problem],
      definition: entries.map((e) => ({ ...e, where: s })),
      unreached: [{ where: s, branch: s, reason: s }],
      ...extra,
    });
    return {
      version: 1,
      base: { ref: s, commit: 'a'.repeat(40), tip: 'b'.repeat(40), mergeBase: true },
      head: s,
      messages: [
        message('changed'),
        message('renamed', { destination: [] }),
        message('added', { firstRequest: { row: 1, request: { [s]: s, body: { text: s } } } }),
      ],
      summary: {
        added: 1,
        removed: 0,
        renamed: 1,
        changed: 1,
        unchanged: 0,
        problemsIntroduced: 1,
        problemsFixed: 1,
        invalidRows: 1,
        unreached: 3,
      },
      coverage: { required: true, unreached: [{ message: s, where: s, branch: s, reason: s }] },
      templates: { base: true, head: true, changes: [{ projectId: s, name: s, kind: 'changed' as never, detail: s, messages: [s] }] },
      catalogIntroduced: [problem],
      consent: {
        lists: [{ file: s, change: 'edited' }],
        entriesAdded: 1,
        entriesRemoved: 1,
        messages: [{ id: s, newlySkipped: 1, noLongerSkipped: 1 }],
      },
    };
  }

  function statusSummary(s: string): StatusSummary {
    return {
      version: 1,
      runId: s,
      message: s,
      channelId: s,
      recipients: 2,
      accepted: 1,
      sent: 1,
      delivered: 1,
      failed: 1,
      skipped: 1,
      deleted: 1,
      scheduled: 1,
      scheduledTimes: [{ at: s, count: 1 }],
      byStatus: {},
      sendFailed: 1,
      unknown: 1,
      resendable: 1,
      inFlight: 1,
      lookupFailed: 1,
      lookupFailures: [{ reason: s, count: 1 }],
      final: false,
      settled: false,
      failures: [{ status: s, code: s, description: s, count: 1 }],
      waited: null,
      sending: { pid: 1, host: s, since: s, evidence: 'lock' },
      interactions: null,
      listing: { complete: false, reason: s, pages: 1 } as never,
      clockOffsetMs: null,
    } as unknown as StatusSummary;
  }

  const texts = (s: string): Record<string, string> => ({
    planText: planText(planDiff(s), { color: false, showUnchanged: true }),
    sendText: sendText(sendReport(s)),
    sendPlanText: sendPlanText([sendReport(s), sendReport(s)], [diagnostic(s)]),
    statusText: statusText(statusSummary(s)),
    diagnosticsText: diagnosticsText([diagnostic(s), { ...diagnostic(s), severity: 'warning' }]),
  });
  const markdowns = (s: string): Record<string, string> => ({
    planMarkdown: planMarkdown(planDiff(s)),
    sendSummaryMarkdown: sendSummaryMarkdown(sendReport(s)),
    sendPlanMarkdown: sendPlanMarkdown([sendReport(s)], [diagnostic(s)]),
  });

  const startsCommand = (line: string): boolean => line.trimStart().startsWith('::');
  // eslint-disable-next-line no-control-regex -- the point of the test
  const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

  /** A line without its code spans and backslash escapes, read left to right as CommonMark does. */
  function outsideCode(line: string): string {
    let out = '';
    for (let i = 0; i < line.length;) {
      if (line[i] === '\\' && /[!-/:-@[-`{-~]/.test(line[i + 1] ?? '')) {
        i += 2;
        continue;
      }
      const run = /^`+/.exec(line.slice(i))?.[0];
      if (run) {
        const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
        close.lastIndex = i + run.length;
        const end = close.exec(line);
        if (end) {
          i = end.index + run.length;
          continue;
        }
        out += run;
        i += run.length;
        continue;
      }
      out += line[i];
      i++;
    }
    return out;
  }

  /** Each line's markdown/HTML role; lines inside a fence are code, whatever they hold. */
  function skeleton(md: string): string[] {
    const out: string[] = [];
    let fence: string | undefined;
    for (const line of md.split('\n')) {
      const ticks = /^(`{3,})/.exec(line)?.[1];
      if (fence) {
        if (ticks && ticks.length >= fence.length && line.trim() === ticks) {
          fence = undefined;
          out.push('fence-end');
        } else out.push('code');
        continue;
      }
      if (ticks) {
        fence = ticks;
        out.push('fence');
        continue;
      }
      // Outside code spans: which tags, links and headings the line has.
      const bare = outsideCode(line);
      const tags = [...bare.matchAll(/<\/?[a-z][^>]*>/gi)].map((m) => m[0].replace(/\s.*/, '')).join('');
      const role = /^\s*(#{1,6} |\||> |- |<|$)/.exec(line)?.[1] ?? 'text';
      out.push(`${role}${tags}${/\]\(/.test(bare) ? 'link' : ''}`);
    }
    return out;
  }

  it('no output line starts a workflow command, and text outputs carry no raw control character', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        for (const [name, out] of Object.entries({ ...texts(s), ...markdowns(s) })) {
          for (const line of out.split('\n')) {
            expect(startsCommand(line), `${name}: ${JSON.stringify(line)}`).toBe(false);
            expect(RAW_CONTROL.test(line), `${name}: ${JSON.stringify(line)}`).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('GITHUB_OUTPUT: one key=value line per output, whatever the value holds', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const lines = githubOutputs({ 'run-id': s, accepted: 3 }).split('\n').filter(Boolean);
        expect(lines).toHaveLength(2);
        expect(lines[0]!.startsWith('run-id=')).toBe(true);
        expect(lines[1]).toBe('accepted=3');
      }),
      { numRuns: 200 },
    );
  });

  it("github annotations: one line per diagnostic, each chirp's own command", () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = githubAnnotations([diagnostic(s), { ...diagnostic(s), severity: 'warning' }], (f) => f);
        const lines = out.split('\n').filter(Boolean);
        expect(lines).toHaveLength(2);
        expect(lines[0]).toMatch(/^::warning file=|^::error file=/);
        expect(lines[1]).toMatch(/^::warning file=|^::error file=/);
      }),
      { numRuns: 200 },
    );
  });

  it('markdown: data never opens a heading, a table row, a tag, a link or a fence', () => {
    const plainText = markdowns('x');
    const plain = Object.fromEntries(Object.entries(plainText).map(([k, v]) => [k, skeleton(v)]));
    fc.assert(
      fc.property(hostile, (s) => {
        for (const [name, out] of Object.entries(markdowns(s))) {
          const got = skeleton(out);
          const at = got.findIndex((role, i) => role !== plain[name]![i]);
          const where = at < 0 ? got.length : at;
          expect(
            got,
            `${name} line ${where + 1}: ${JSON.stringify(out.split('\n')[where])} vs ${JSON.stringify(plainText[name]!.split('\n')[where])}`,
          ).toEqual(plain[name]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
