// Writes UTF-8 bytes into one growing scratch buffer; `take()` copies them out at their exact size.
// The serializer writes a whole request body here, so no string is built, flattened and encoded
// again by the HTTP stack: cached fragments are copied as bytes, and the few values written per
// event (a timestamp, a uuid, a user id) go straight to bytes.

const encoder = /* @__PURE__ */ new TextEncoder();

/** UTF-8 bytes of `text` (for fragments encoded once and cached). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

const INITIAL_CAPACITY = 16 * 1024;
/** A scratch buffer grown past this by a huge body is let go after it. */
const RETAINED_CAPACITY = 1024 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A reusable byte writer; one body at a time (serialisation is synchronous). */
export class ByteWriter {
  private buffer = new Uint8Array(INITIAL_CAPACITY);
  private length = 0;

  /** Starts a new body. */
  reset(): void {
    this.length = 0;
  }

  /** The bytes written since `reset()`, in a new array of their exact size. */
  take(): Uint8Array {
    const bytes = this.buffer.slice(0, this.length);
    this.length = 0;
    if (this.buffer.length > RETAINED_CAPACITY) this.buffer = new Uint8Array(INITIAL_CAPACITY);
    return bytes;
  }

  bytes(chunk: Uint8Array): void {
    this.reserve(chunk.length);
    this.buffer.set(chunk, this.length);
    this.length += chunk.length;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /**
   * Any text, as UTF-8 (JSON text is always well-formed, so nothing is replaced). Short ASCII text
   * is copied in a loop, which beats a call into the encoder; the rest goes through the encoder.
   */
  text(value: string): void {
    this.reserve(value.length * 3);
    if (value.length > 64) {
      this.encodeRest(value, 0);
      return;
    }
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        this.length = at;
        this.encodeRest(value, i);
        return;
      }
      buffer[at++] = code;
    }
    this.length = at;
  }

  /** `value` from index `from` on, through the encoder (room for it is reserved). */
  private encodeRest(value: string, from: number): void {
    const rest = from === 0 ? value : value.slice(from);
    this.length += encoder.encodeInto(rest, this.buffer.subarray(this.length)).written;
  }

  /** `JSON.stringify(value)` for a string: printable ASCII directly, anything else through JSON.stringify. */
  jsonString(value: string): void {
    const start = this.length;
    this.reserve(value.length + 2);
    const buffer = this.buffer;
    let at = start;
    buffer[at++] = QUOTE;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code < 0x20 || code > 0x7f || code === QUOTE || code === BACKSLASH) {
        this.length = start;
        this.text(JSON.stringify(value));
        return;
      }
      buffer[at++] = code;
    }
    buffer[at++] = QUOTE;
    this.length = at;
  }

  /** `JSON.stringify(value)` for a finite number (the same text as `String(value)`). */
  number(value: number): void {
    this.text(String(value));
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
