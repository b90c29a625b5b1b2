// Splits a streamed top-level JSON array into the text of its items, without parsing the whole
// document: only string/escape state and bracket depth are tracked; JSON.parse checks each item.
import { dataError } from './data-error.js';

export interface JsonItem {
  text: string;
  /** 1-based position in the array. */
  index: number;
  line: number;
  column: number;
}

const START = 0;
const BEFORE_ITEM = 1;
const IN_ITEM = 2;
const AFTER_ITEM = 3;
const END = 4;

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
/** One item may not exceed this, so a missing brace cannot buffer the whole file. */
const MAX_ITEM_CHARS = 16 << 20;

const isSpace = (c: number): boolean => c === 0x20 || c === LF || c === 0x0d || c === 0x09;

export class JsonArraySplitter {
  private state = START;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private afterComma = false;
  /** Text of the current item from earlier chunks. */
  private pending = '';
  private count = 0;
  private line = 1;
  private lineStart = 0;
  private offset = 0;
  private itemLine = 0;
  private itemColumn = 0;

  constructor(private readonly file: string) {}

  /** Feeds the next chunk; returns the items it completes, in order. */
  push(text: string): JsonItem[] {
    const items: JsonItem[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) {
        this.line++;
        this.lineStart = this.offset + i + 1;
      }
      if (this.state === IN_ITEM) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === BACKSLASH) this.escaped = true;
          else if (c === QUOTE) this.inString = false;
        } else if (c === QUOTE) {
          this.inString = true;
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          this.depth++;
        } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --this.depth === 0) {
          const itemText = this.pending + text.slice(start, i + 1);
          items.push({ text: itemText, index: this.count, line: this.itemLine, column: this.itemColumn });
          this.pending = '';
          this.state = AFTER_ITEM;
        }
      } else if (!isSpace(c)) {
        if (this.structural(c, i) === IN_ITEM) start = i;
      }
    }
    if (this.state === IN_ITEM) {
      this.pending += text.slice(start);
      if (this.pending.length > MAX_ITEM_CHARS) {
        throw this.fail(`item ${this.count} (line ${this.itemLine}) is larger than ${MAX_ITEM_CHARS} characters`, this.itemLine);
      }
    }
    this.offset += text.length;
    return items;
  }

  /** Call at the end of the input: anything but a closed array is an error. */
  end(): void {
    if (this.state === END) return;
    if (this.state === START) throw this.fail('the file is empty; expected a JSON array of objects', 1);
    if (this.state === IN_ITEM) {
      throw this.fail(`the file ends inside item ${this.count} (line ${this.itemLine}); a "}" or "]" is missing`, this.itemLine);
    }
    throw this.fail('the file ends before the array is closed with "]"', this.line);
  }

  /** Handles a non-space character outside any item; returns the new state. */
  private structural(c: number, i: number): number {
    const column = this.offset + i - this.lineStart + 1;
    switch (this.state) {
      case START:
        if (c !== OPEN_BRACKET)
          throw this.fail('the top level must be a JSON array of objects, like [{"phone": "+31..."}]', this.line, column);
        this.state = BEFORE_ITEM;
        break;
      case BEFORE_ITEM:
        if (c === OPEN_BRACE) {
          this.state = IN_ITEM;
          this.depth = 1;
          this.count++;
          this.itemLine = this.line;
          this.itemColumn = column;
        } else if (c === CLOSE_BRACKET && !this.afterComma) {
          this.state = END;
        } else if (c === CLOSE_BRACKET) {
          throw this.fail('a "," before "]" leaves an empty item', this.line, column);
        } else {
          throw this.fail(`item ${this.count + 1} (line ${this.line}) is not a JSON object`, this.line, column, this.count + 1);
        }
        break;
      case AFTER_ITEM:
        if (c === COMMA) {
          this.state = BEFORE_ITEM;
          this.afterComma = true;
        } else if (c === CLOSE_BRACKET) {
          this.state = END;
        } else {
          throw this.fail(`expected "," or "]" after item ${this.count}, found "${String.fromCharCode(c)}"`, this.line, column);
        }
        break;
      default:
        throw this.fail(`unexpected "${String.fromCharCode(c)}" after the closing "]"`, this.line, column);
    }
    return this.state;
  }

  private fail(message: string, line: number, column = 0, row?: number): Error {
    return dataError(this.file, message, { line, column, row });
  }
}
