export { generateDemoCatalog } from './generator';
export { seedDemo, DEMO_PASSWORD, DEMO_SHOPPER_ID, type DemoAccount } from './seed';
export type { DemoCatalog, DemoCategory, DemoProduct, DemoSeller, DemoVariant } from './types';
export { productArtSvg, silhouetteFor, colourOf, svgDataUrl } from './art';
