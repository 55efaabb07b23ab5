// One Prometheus registry per service (never prom-client's global one): the embedded stack and the
// tests run several services in one process, and each must serve only its own series at /metrics.
// The default Node metrics (heap, event-loop lag, GC, handles) come along.
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * GET /metrics in the Prometheus text format. Cheap by construction: every series is either a
 * counter/histogram updated as things happen or a gauge read from a live object at scrape time,
 * so a scrape does no I/O and walks no caches.
 */
export function metricsHandler(registry: Registry): RequestHandler {
  return (_req, res, next) => {
    registry.metrics().then(
      (text) => {
        res.status(200).set({ 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).send(text);
      },
      (error: unknown) => next(error),
    );
  };
}
