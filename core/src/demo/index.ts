export { generateDemoCatalog } from './generator';
export { seedDemo, DEMO_PASSWORD, type DemoAccount } from './seed';
export type { DemoCatalog, DemoCategory, DemoProduct, DemoSeller, DemoVariant } from './types';
