// API origins as run identity: the URL's own spellings of one origin are one destination; nothing
// more is folded (localhost and 127.0.0.1 stay two: a send between them is refused, not merged).
import { describe, expect, it } from 'vitest';
import { canonicalOrigin, sameOrigin } from '../../src/util/index.js';
import { sameDestination } from '../../src/journal/index.js';
import { apiOrigin } from '../../src/usecases/common.js';
import type { Catalog } from '../../src/catalog/index.js';
import type { HeaderRecord } from '../../src/journal/records.js';

const catalogAt = (apiUrl: string) => ({ config: { apiUrl } }) as unknown as Catalog;

describe('API origins', () => {
  it('https://api.bird.com and https://API.bird.com:443/ are one origin', () => {
    expect(apiOrigin(catalogAt('https://API.bird.com:443/'))).toBe('https://api.bird.com');
    expect(apiOrigin(catalogAt('https://api.bird.com'))).toBe('https://api.bird.com');
    expect(sameOrigin('https://api.bird.com', 'https://API.bird.com:443/')).toBe(true);
    expect(sameOrigin('HTTP://127.0.0.1:80/v1', 'http://127.0.0.1')).toBe(true);
    expect(canonicalOrigin('https://Api.Bird.com/workspaces/')).toBe('https://api.bird.com');
  });

  it('keeps apart what only a person could call the same: another host spelling, port or scheme', () => {
    expect(sameOrigin('http://localhost:8080', 'http://127.0.0.1:8080')).toBe(false);
    expect(sameOrigin('http://127.0.0.1:8080', 'http://127.0.0.1:8081')).toBe(false);
    expect(sameOrigin('http://api.bird.com', 'https://api.bird.com')).toBe(false);
    expect(sameOrigin('https://api.bird.com:8443', 'https://api.bird.com')).toBe(false);
  });

  it('a journal header written in another spelling of the origin is the same destination', () => {
    const header = {
      workspace: 'w',
      channelId: 'c',
      apiOrigin: 'https://API.bird.com:443',
      platform: 'whatsapp',
    } as HeaderRecord;
    const here = { apiOrigin: 'https://api.bird.com', workspace: 'w', channelId: 'c', platform: 'whatsapp' };
    expect(sameDestination(header, here)).toBe(true);
    expect(sameDestination(header, { ...here, apiOrigin: 'http://localhost' })).toBe(false);
    expect(canonicalOrigin('not a url')).toBe('not a url');
  });
});
