export { createFlashSaleService, FLASH_SWEEP_JOB, type FlashSaleService } from './service';
export { createMemoryAdmission, createRedisAdmission, type AdmissionPort } from './admission';
export type { ClaimAnswer, FlashSale, FlashSaleInput } from './types';
