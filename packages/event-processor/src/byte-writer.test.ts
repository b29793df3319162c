import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from './byte-writer';

// Every write must produce the UTF-8 bytes of the text JSON.stringify (or the plain text) would be.
const encoder = new TextEncoder();
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', '"', '\\', '\u007f', '\u0000\u001f', '\ud800', 'a\udfffb', '\u2028', 'é', '😀x'),
);

function written(write: (writer: ByteWriter) => void): Uint8Array {
  const writer = new ByteWriter();
  writer.byte(0x5b); // something before, so writes land at an offset
  write(writer);
  return writer.take().subarray(1);
}

describe('ByteWriter', () => {
  it('writes JSON strings as JSON.stringify does', () => {
    fc.assert(
      fc.property(anyString, (value) => {
        expect(written((w) => w.jsonString(value))).toEqual(encoder.encode(JSON.stringify(value)));
      }),
      { numRuns: 500 },
    );
  });

  it('writes well-formed text as UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (value) => {
        expect(written((w) => w.text(value))).toEqual(encoder.encode(value));
      }),
    );
  });

  it('writes finite numbers as JSON.stringify does', () => {
    const number = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.maxSafeNat(),
    );
    fc.assert(
      fc.property(number, (value) => {
        expect(written((w) => w.number(value))).toEqual(encoder.encode(JSON.stringify(value)));
      }),
    );
    expect(written((w) => w.number(-0))).toEqual(encoder.encode('0'));
  });

  it('grows past its first buffer and keeps what was written', () => {
    const writer = new ByteWriter();
    const chunk = encoder.encode('0123456789');
    let expected = '';
    for (let i = 0; i < 5000; i++) {
      writer.bytes(chunk);
      writer.jsonString(`k${i}`);
      expected += `0123456789"k${i}"`;
    }
    expect(new TextDecoder('utf-8', { fatal: true }).decode(writer.take())).toBe(expected);
    expect(writer.take()).toEqual(new Uint8Array(0));
  });
});
