/**
 * JSON schemas of the request bodies, as Go's decoder would accept them: the types of known
 * fields, nothing required (Agent answers missing fields with its own messages, in the handlers).
 * A body that breaks them gets Agent's `error parsing request body`.
 */
const attributes = { type: ['object', 'null'] } as const;
const stringMap = { type: ['object', 'null'], additionalProperties: { type: 'string' } } as const;

export const decideBodySchema = {
  type: 'object',
  properties: {
    userId: { type: 'string' },
    userAttributes: attributes,
    decideOptions: { type: ['array', 'null'], items: { type: 'string' } },
    forcedDecisions: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: {
          flagKey: { type: 'string' },
          ruleKey: { type: 'string' },
          variationKey: { type: 'string' },
        },
      },
    },
    fetchSegments: { type: 'boolean' },
    fetchSegmentsOptions: { type: ['array', 'null'], items: { type: 'string' } },
  },
} as const;

export const userBodySchema = {
  type: 'object',
  properties: { userId: { type: 'string' }, userAttributes: attributes },
} as const;

export const overrideBodySchema = {
  type: 'object',
  properties: {
    userId: { type: 'string' },
    experimentKey: { type: 'string' },
    variationKey: { type: 'string' },
  },
} as const;

export const sendOdpEventBodySchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    action: { type: 'string' },
    identifiers: stringMap,
    data: {
      type: ['object', 'null'],
      additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
    },
  },
} as const;

export const saveBodySchema = {
  type: 'object',
  properties: {
    userId: { type: 'string' },
    experimentBucketMap: {
      type: ['object', 'null'],
      additionalProperties: {
        type: 'object',
        properties: { variation_id: { type: 'string' } },
        required: ['variation_id'],
      },
    },
  },
} as const;

export const batchBodySchema = {
  type: 'object',
  properties: {
    operations: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: {
          method: { type: 'string' },
          url: { type: 'string' },
          operationID: { type: 'string' },
          body: {},
          params: { type: ['object', 'null'] },
          parameters: { type: ['object', 'null'] },
          headers: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
        },
      },
    },
  },
} as const;
