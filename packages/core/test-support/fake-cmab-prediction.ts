import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { datafile, flag, type Json, rule, variation } from './datafile-builder';

/**
 * A datafile whose one flag (`flag`) has one CMAB rule (`cmab_exp`, id `e-cmab`) for everyone, with
 * variations `v-a` (key `a`) and `v-b` (key `b`); the rule sends the `plan` attribute (`att-plan`).
 */
export function cmabRuleDatafile(): Json {
  return datafile({
    attributes: [{ id: 'att-plan', key: 'plan' }],
    experiments: [
      rule('e-cmab', 'cmab_exp', [variation('v-a', 'a'), variation('v-b', 'b')], {
        type: 'cmab',
        cmab: { trafficAllocation: 10000, attributeIds: ['att-plan'] },
        traffic: [],
      }),
    ],
    featureFlags: [flag('f1', 'flag', { experimentIds: ['e-cmab'] })],
  });
}

/** One prediction request the fake service received, body parsed. */
export interface PredictionRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as sent. */
  readonly text: string;
  readonly body: {
    instances: {
      visitorId: string;
      experimentId: string;
      attributes: { id: string; value: unknown; type: string }[];
      cmabUUID: string;
    }[];
  };
}

/** What the service answers: a status and a body (an object is sent as JSON). */
export interface PredictionReply {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A stand-in for Optimizely's CMAB prediction service on 127.0.0.1. `answer` decides each reply;
 * by default it predicts the variation id `predict` returns.
 */
export interface FakeCmabPrediction {
  /** `<origin>/predict/%s`, for `predictionEndpointTemplate`. */
  readonly endpointTemplate: string;
  readonly requests: PredictionRequest[];
  answer: (request: PredictionRequest) => PredictionReply;
  close(): Promise<void>;
}

/** Starts the fake service. `variationFor` names the variation id predicted for each request. */
export async function startFakeCmabPrediction(
  variationFor: (request: PredictionRequest) => string,
): Promise<FakeCmabPrediction> {
  const fake: Omit<FakeCmabPrediction, 'endpointTemplate' | 'close'> = {
    requests: [],
    answer: (request) => ({ status: 200, body: { predictions: [{ variation_id: variationFor(request) }] } }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: PredictionRequest = {
        path: req.url ?? '',
        headers: req.headers,
        text,
        body: JSON.parse(text || 'null'),
      };
      fake.requests.push(request);
      const reply = fake.answer(request);
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    endpointTemplate: `http://127.0.0.1:${port}/predict/%s`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
