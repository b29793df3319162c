// A stand-in for Optimizely's datafile CDN: GET /datafiles/<sdkKey>.json serves the demo's datafile,
// answering conditional requests (If-Modified-Since) with 304 as the real CDN does.

import type { DatafileStore } from '../datafile-store';
import { answeredPreflight, CORS_HEADERS, type Handler } from '../http';

const PATH = /^\/datafiles\/([^/]+)\.json$/;

export function cdnHandler(sdkKey: string, store: DatafileStore): Handler {
  return (req, res) => {
    if (answeredPreflight(req, res)) return;
    const match = PATH.exec((req.url ?? '').split('?')[0] ?? '');
    if (req.method !== 'GET' || !match || decodeURIComponent(match[1] ?? '') !== sdkKey) {
      // What the real CDN says for an unknown key.
      res.writeHead(403, { ...CORS_HEADERS, 'content-type': 'application/xml' });
      res.end('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
      return;
    }
    const { text, lastModified } = store.current();
    if (req.headers['if-modified-since'] === lastModified) {
      res.writeHead(304, { ...CORS_HEADERS, 'last-modified': lastModified }).end();
      return;
    }
    res.writeHead(200, {
      ...CORS_HEADERS,
      'content-type': 'application/json',
      'last-modified': lastModified,
      'cache-control': 'no-cache',
    });
    res.end(text);
  };
}
