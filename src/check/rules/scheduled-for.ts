// Bird: "Messages scheduled farther than 35 days will be rejected" (CreateMessage.scheduledFor).
// Checked against the caller's clock at validate, render and send time; in the past or within 10
// minutes Bird may send at once, which is not an error.
import { known, type Rule } from './types.js';

export const MAX_SCHEDULE_DAYS = 35;
const DAY = 24 * 60 * 60 * 1000;

export const scheduledFor: Rule = (request, ctx) => {
  const value = request.scheduledFor;
  if (!known(value)) return [];
  const at = Date.parse(value);
  if (Number.isNaN(at)) return []; // the schema's date-time format says so
  const now = ctx.now; // read only here: the caller's clock may be a getter (a Date per row is dear)
  const ahead = at - now.getTime();
  if (ahead <= MAX_SCHEDULE_DAYS * DAY) return [];
  return [
    {
      code: 'E_SCHEDULED_TOO_FAR',
      pointer: '/scheduledFor',
      message: `the message is scheduled for ${value}, ${Math.floor(ahead / DAY)} days from now (${now.toISOString().slice(0, 10)}); Bird rejects messages scheduled more than ${MAX_SCHEDULE_DAYS} days ahead`,
    },
  ];
};
