/** Operations: the metrics registry and its HTTP timer, readiness (for scripts such as `bench:ops`). */
export { createMetrics, type Metrics } from './metrics';
export { httpMetrics } from '../http/http-metrics';
export { createReadiness, type Readiness } from './readiness';
