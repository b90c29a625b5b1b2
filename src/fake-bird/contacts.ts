// Contacts as far as chirp sees them: found by phone number, with a customer-care window.
import type { ContactWindow } from './types.js';

export interface FakeContact {
  id: string;
  identifierKey: string;
  identifierValue: string;
  /** 'unknown': the channel has no information for this contact, so the window endpoint answers 404. */
  window: ContactWindow | 'unknown';
}

// A contact Bird created because we messaged it has never written to us: no open window.
const NO_WINDOW: ContactWindow = { serviceWindowExpireAt: null, isPermanentSession: null };

export class ContactBook {
  #byValue = new Map<string, FakeContact>();
  #byId = new Map<string, FakeContact>();
  readonly #newId: () => string;

  constructor(newId: () => string) {
    this.#newId = newId;
  }

  /** The contact for an identifier, created on first use as Bird does for an unknown receiver. */
  ensure(identifierValue: string, identifierKey = guessKey(identifierValue)): FakeContact {
    const known = this.#byValue.get(identifierValue);
    if (known !== undefined) return known;
    const contact: FakeContact = { id: this.#newId(), identifierKey, identifierValue, window: NO_WINDOW };
    this.#byValue.set(identifierValue, contact);
    this.#byId.set(contact.id, contact);
    return contact;
  }

  find(identifierKey: string, identifierValue: string): FakeContact | undefined {
    const contact = this.#byValue.get(identifierValue);
    return contact?.identifierKey === identifierKey ? contact : undefined;
  }

  byId(id: string): FakeContact | undefined {
    return this.#byId.get(id);
  }
}

function guessKey(identifierValue: string): string {
  return identifierValue.includes('@') ? 'emailaddress' : 'phonenumber';
}
