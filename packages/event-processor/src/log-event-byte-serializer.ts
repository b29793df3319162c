import type { UserEvent } from '@flagkit/core';
import { ByteWriter, utf8 } from './byte-writer';
import { conversionSnapshot, visitorOf } from './log-event-builder';
import {
  attributesOf,
  decisionOf,
  type Fragment,
  headOf,
  isPlainConversion,
  isPlainImpression,
} from './log-event-serializer';

// The byte form of serializeLogxBatch, for HTTP stacks that send bytes (Node's undici requester).
// Its own module, and only reached through createRequesterDispatcher for a requester that takes
// bytes, so browser bundles (whose fetch requester takes text) leave it out.

function bytesOf(fragment: Fragment): Uint8Array {
  fragment.bytes ??= utf8(fragment.text);
  return fragment.bytes;
}

// The constant pieces of a visitor, as bytes.
const SNAPSHOTS_OPEN = /* @__PURE__ */ utf8('{"snapshots":[');
const AFTER_TIMESTAMP = /* @__PURE__ */ utf8(',"key":"campaign_activated","uuid":');
const AFTER_IMPRESSION_UUID = /* @__PURE__ */ utf8('}]}],"visitor_id":');
const AFTER_SNAPSHOTS = /* @__PURE__ */ utf8('],"visitor_id":');
const ATTRIBUTES_KEY = /* @__PURE__ */ utf8(',"attributes":');
const BATCH_CLOSE = /* @__PURE__ */ utf8(']}');
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

let sharedWriter: ByteWriter | undefined;
let writing = false;

function writeVisitor(writer: ByteWriter, event: UserEvent): void {
  if (isPlainImpression(event)) {
    writer.bytes(SNAPSHOTS_OPEN);
    writer.bytes(bytesOf(decisionOf(event)));
    writer.number(event.timestamp);
    writer.bytes(AFTER_TIMESTAMP);
    writer.jsonString(event.uuid);
    writer.bytes(AFTER_IMPRESSION_UUID);
  } else if (isPlainConversion(event)) {
    writer.bytes(SNAPSHOTS_OPEN);
    writer.text(JSON.stringify(conversionSnapshot(event)));
    writer.bytes(AFTER_SNAPSHOTS);
  } else {
    writer.text(JSON.stringify(visitorOf(event)));
    return;
  }
  writer.jsonString(event.user.id);
  writer.bytes(ATTRIBUTES_KEY);
  writer.bytes(bytesOf(attributesOf(event)));
  writer.byte(CLOSE_BRACE);
}

/**
 * The UTF-8 bytes of {@link serializeLogxBatch}'s text, written without building that text: what
 * an HTTP stack would send for it, so it need not encode the body itself. Throws where that throws.
 */
export function serializeLogxBatchBytes(events: readonly UserEvent[]): Uint8Array {
  // A tag's toJSON could call back in here while the shared writer is in use: give it its own.
  if (writing) return writeBatch(new ByteWriter(), events);
  writing = true;
  try {
    sharedWriter ??= new ByteWriter();
    return writeBatch(sharedWriter, events);
  } finally {
    writing = false;
  }
}

function writeBatch(writer: ByteWriter, events: readonly UserEvent[]): Uint8Array {
  writer.reset();
  try {
    writer.bytes(bytesOf(headOf(events[0]?.context)));
    for (let i = 0; i < events.length; i++) {
      if (i > 0) writer.byte(COMMA);
      writeVisitor(writer, events[i]!);
    }
    writer.bytes(BATCH_CLOSE);
    return writer.take();
  } finally {
    writer.reset();
  }
}
