export { createInventoryService, type InventoryService, type StockOwner } from './service';
export type { StockLevel, StockChangeResult, StockMovementReason } from './types';
