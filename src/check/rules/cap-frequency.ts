// Bird: `capFrequency: true` "can only be set to true if the message is sent to a contact and
// `.meta.extraInformation.useCase` is `marketing`" (CreateMessage.capFrequency). Any platform.
import { known, obj, type Rule } from './types.js';

export const capFrequency: Rule = (request) => {
  if (request.capFrequency !== true) return [];
  const useCase = obj(obj(request.meta)?.extraInformation)?.useCase;
  if (typeof useCase === 'string' && !known(useCase)) return [];
  if (useCase === 'marketing') return [];
  const now = useCase === undefined ? 'no use case' : `use case ${JSON.stringify(useCase)}`;
  return [
    {
      code: 'E_CAP_FREQUENCY_USE_CASE',
      pointer: '/capFrequency',
      message: `frequency capping (capFrequency: true) is only for marketing messages, and this one has ${now}; add meta.extraInformation.useCase: marketing, or drop capFrequency`,
    },
  ];
};
