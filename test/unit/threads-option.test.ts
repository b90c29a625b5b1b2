// The library's `threads` takes what `--threads` takes (1 to 16 whole threads): a caller passing
// Infinity, 0 or 1.5 gets E_USAGE before anything is read or sent, not a worker per unit or a silent 1.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { render } from '../../src/usecases/render.js';
import { send } from '../../src/usecases/send.js';
import { catalog } from '../helpers/render-threads.js';

describe('the library option threads', () => {
  it('render and send refuse a count the CLI would refuse', async () => {
    const root = catalog();
    const data = join(root, 'rows.csv');
    writeFileSync(data, 'phone,name\n+31612345678,Ada\n');
    for (const threads of [Infinity, 0, -1, 1.5, 17, Number.NaN]) {
      const rendered = await render({ cwd: root, message: 'local', data: { path: data }, threads }).catch((e: unknown) => e);
      expect(rendered, `render ${threads}`).toBeInstanceOf(UserError);
      expect((rendered as UserError).code).toBe('E_USAGE');
      const sent = await send({
        cwd: root,
        message: 'local',
        data: { path: data },
        threads,
        env: { BIRD_ACCESS_KEY: 'k', BIRD_API_URL: 'http://127.0.0.1:1' },
      }).catch((e: unknown) => e);
      expect(sent, `send ${threads}`).toBeInstanceOf(UserError);
      expect((sent as UserError).code).toBe('E_USAGE');
    }
  });
});
