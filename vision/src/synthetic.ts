/**
 * Photos drawn from SVG with known ground truth — products with or without banners, watermarks and
 * contact details, and scenes of text lines — for the tests, benchmarks and `npm run eval:vision`.
 */
export * from './pipeline/synthetic-photos';
export * from './text/synthetic';
