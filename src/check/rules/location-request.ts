// WhatsApp's location request message is body text with the one "Send location" button: no media,
// no other buttons ([interactive-location-request-messages]).
import { list, obj, payload, type Rule } from './types.js';

export const locationRequest: Rule = (request) => {
  const body = payload(request);
  // Bodies WhatsApp shows with buttons; other body types are refused as such (E_PLATFORM_BODY_TYPE).
  if (!body || !['text', 'image', 'file'].includes(body.type)) return [];
  const actions = list(body.value.actions).map((a) => obj(a)?.type);
  const at = actions.indexOf('locationRequest');
  if (at < 0) return [];
  const pointer = `${body.pointer}/actions/${at}`;
  if (body.type !== 'text') {
    return [
      {
        code: 'E_WA_LOCATION_REQUEST_MEDIA',
        pointer,
        message: `a location request can only go on a text message, not on ${body.type === 'image' ? 'an image' : `a ${body.type}`}; send the media and the request as two messages`,
      },
    ];
  }
  if (actions.length > 1) {
    return [
      {
        code: 'E_WA_LOCATION_REQUEST_ALONE',
        pointer,
        message: `a location request must be the message's only button; this message has ${actions.length - 1} other button${actions.length === 2 ? '' : 's'}`,
      },
    ];
  }
  return [];
};
