// The catalog's one listing rule and the MESSAGE selector rule, in-process.
import { describe, expect, it } from 'vitest';
import { buildListing, classifyEntry, closestIds, selectIds } from '../../src/catalog/index.js';
import { UserError } from '../../src/errors.js';

describe('which files are messages', () => {
  it.each([
    ['releases/notice.yaml', { kind: 'message', id: 'releases/notice' }],
    ['releases/notice.yml', { kind: 'message', id: 'releases/notice' }],
    ['_partials/sig.hbs', { kind: 'partial', name: 'sig' }],
    ['_partials/sub/sig.hbs', { kind: 'ignored', why: 'partials folder' }],
    ['orders/_partials/inner.yaml', { kind: 'ignored', why: 'partials folder' }],
    ['.drafts/wip.yaml', { kind: 'ignored', why: 'hidden' }],
    ['.hidden.yaml', { kind: 'ignored', why: 'hidden' }],
    ['a/.b/c.yaml', { kind: 'ignored', why: 'hidden' }],
    ['README.md', { kind: 'ignored', why: 'not a message file' }],
    ['notice.YAML', { kind: 'ignored', why: 'not a message file' }],
    ['.yaml', { kind: 'ignored', why: 'hidden' }],
  ])('%s', (rel, kind) => {
    expect(classifyEntry(rel)).toEqual(kind);
  });

  it('twins are neither message; symlinks are problems, not messages', () => {
    const listing = buildListing(
      [
        { rel: 'notice.yml', link: false },
        { rel: 'notice.yaml', link: false },
        { rel: 'a.yaml', link: false },
        { rel: 'link.yaml', link: true },
        { rel: '.x/link.yaml', link: true },
      ],
      (rel) => `messages/${rel}`,
    );
    expect([...listing.messages]).toEqual([['a', 'a.yaml']]);
    expect([...listing.twins]).toEqual([['notice', ['notice.yaml', 'notice.yml']]]);
    // A message file that is a link is kept apart (never read): an error where the message is used.
    expect(listing.problems).toEqual([]);
    expect([...listing.links].map(([id, p]) => [id, p.code, p.file])).toEqual([['link', 'E_CATALOG_SYMLINK', 'messages/link.yaml']]);
  });
});

describe('selectors', () => {
  const known = ['onboarding/welcome', 'orders/shipped', 'releases/notice'];
  const where = { root: '/cat', cwd: '/cat' };

  it('ids, globs and paths select; the order is the catalog’s', () => {
    expect(selectIds(known, ['releases/notice', 'orders/*'], where)).toEqual(['orders/shipped', 'releases/notice']);
    expect(selectIds(known, ['**'], where)).toEqual(known);
    expect(selectIds(known, ['messages/orders/shipped.yaml'], where)).toEqual(['orders/shipped']);
    expect(selectIds(known, ['shipped.yaml'], { root: '/cat', cwd: '/cat/messages/orders' })).toEqual(['orders/shipped']);
    expect(selectIds(known, ['shipped'], { root: '/cat', cwd: '/cat/messages/orders' })).toEqual(['orders/shipped']);
  });

  it('a selector that matches nothing is a usage error naming the closest ids', () => {
    for (const arg of ['relases/notice', 'nothing/*', 'messages/relases/notice.yaml', '../outside.yaml', '']) {
      let error: unknown;
      try {
        selectIds(known, [arg], where);
      } catch (e) {
        error = e;
      }
      expect(error, arg).toBeInstanceOf(UserError);
      expect((error as UserError).code).toMatch(/^E_(MESSAGE_NOT_FOUND|USAGE)$/);
    }
    expect(closestIds('relases/notice', known)[0]).toBe('releases/notice');
    expect(() => selectIds(known, ['relases/notice'], where)).toThrow(/closest: releases\/notice/);
  });
});
