/** A Bird id (workspace, channel, contact, message): a UUID, in either case. The config schema says the same. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
