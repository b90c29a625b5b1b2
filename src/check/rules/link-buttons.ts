// WhatsApp's call-to-action URL message has exactly one link button and no reply buttons
// ([interactive-cta-url-messages]); Bird turns a body with a `link` action into one.
import { list, obj, payload, type Rule, type RuleProblem } from './types.js';

export const linkButtons: Rule = (request) => {
  const body = payload(request);
  if (!body || !['text', 'image', 'file'].includes(body.type)) return [];
  const actions = list(body.value.actions).map((a) => obj(a)?.type);
  const links = actions.filter((t) => t === 'link').length;
  if (links === 0) return [];
  const out: RuleProblem[] = [];
  const pointer = `${body.pointer}/actions`;
  if (links > 1)
    out.push({
      code: 'E_WA_LINK_COUNT',
      pointer,
      message: `the message has ${links} link buttons; WhatsApp allows one link button per message`,
    });
  const replies = actions.filter((t) => t === 'reply' || t === 'postback').length;
  if (replies > 0) {
    out.push({
      code: 'E_WA_LINK_WITH_REPLIES',
      pointer,
      message: `the message mixes a link button with ${replies} reply button${replies === 1 ? '' : 's'}; WhatsApp sends either one link button or reply buttons, not both`,
    });
  }
  return out;
};
