// WhatsApp list row ids are unique across the whole list ([interactive-list-messages]). Bird's row
// id is the postback payload, or the row title for a reply row.
import { known, list, obj, payload, type Rule, type RuleProblem } from './types.js';

export const listRowIds: Rule = (request) => {
  const body = payload(request);
  if (body?.type !== 'list') return [];
  const seen = new Map<string, string>();
  const out: RuleProblem[] = [];
  list(body.value.items).forEach((section, s) => {
    list(obj(section)?.actions).forEach((row, r) => {
      const action = obj(row);
      const inner = obj(action?.postback) ?? obj(action?.reply);
      const id = inner?.payload ?? inner?.text;
      if (!known(id)) return;
      const pointer = `${body.pointer}/items/${s}/actions/${r}`;
      const first = seen.get(id);
      if (first === undefined) seen.set(id, `section ${s + 1}, row ${r + 1}`);
      else
        out.push({
          code: 'E_WA_LIST_ROW_ID_DUPLICATE',
          pointer,
          message: `the list row id "${id}" is used twice (first in ${first}); WhatsApp needs a different id (payload) on every row`,
        });
    });
  });
  return out;
};
