import { CmabError } from '../errors/cmab-error';
import type { Requester } from '../ports/requester';

/** Where Optimizely's prediction service answers; `%s` becomes the rule id. */
export const DEFAULT_CMAB_PREDICTION_ENDPOINT = 'https://prediction.cmab.optimizely.com/predict/%s';

/** Optimizely's retry policy for predictions: one retry, 100 ms after the failure. */
const RETRIES = 1;
const RETRY_DELAY_MS = 100;

/** What one prediction request needs. */
export interface CmabPredictionRequest {
  readonly requester: Requester;
  readonly endpointTemplate: string;
  readonly timeoutMs: number;
  readonly ruleId: string;
  readonly userId: string;
  /** Attribute id → value, in the rule's `attributeIds` order. */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly cmabUuid: string;
}

/**
 * Asks the prediction service for a rule's variation: a POST of Optimizely's body
 * (`{"instances":[{visitorId, experimentId, attributes:[{id, value, type}], cmabUUID}]}`), retried
 * once. Resolves with the variation id as a string; rejects with a {@link CmabError}.
 */
export async function fetchCmabPrediction(request: CmabPredictionRequest): Promise<string> {
  const url = request.endpointTemplate.replace('%s', request.ruleId);
  const body = JSON.stringify({
    instances: [
      {
        visitorId: request.userId,
        experimentId: request.ruleId,
        attributes: Object.keys(request.attributes).map((id) => ({
          id,
          value: request.attributes[id],
          type: 'custom_attribute',
        })),
        cmabUUID: request.cmabUuid,
      },
    ],
  });
  for (let attempt = 0; ; attempt++) {
    try {
      return await predictOnce(request, url, body);
    } catch (error) {
      if (attempt >= RETRIES) throw error;
      await new Promise<void>((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}

async function predictOnce(request: CmabPredictionRequest, url: string, body: string): Promise<string> {
  let status: number;
  let text: string;
  try {
    const response = await request.requester.request({
      url,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      timeoutMs: request.timeoutMs,
    });
    status = response.status;
    text = await response.text();
  } catch (cause) {
    throw new CmabError('network', `The CMAB prediction request failed: ${String(cause)}`, { cause });
  }
  if (status < 200 || status >= 300)
    throw new CmabError('http-status', `The CMAB prediction service answered with status ${status}.`);
  const variationId = predictedVariationId(text);
  if (variationId === undefined)
    throw new CmabError('invalid-response', 'The CMAB prediction service gave no variation id.');
  return variationId;
}

/** `predictions[0].variation_id` as a string, when the body has a truthy one. */
function predictedVariationId(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const predictions = (parsed as { predictions?: unknown } | null)?.predictions;
  if (!Array.isArray(predictions) || predictions.length === 0) return undefined;
  const id = (predictions[0] as { variation_id?: unknown } | null)?.variation_id;
  return id ? String(id) : undefined;
}
