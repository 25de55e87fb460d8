export { createFlashSaleService, FLASH_SWEEP_JOB, type FlashSaleService } from './service';
export { createMemoryAdmission, type AdmissionPort } from './admission';
export { createRedisAdmission } from './redis-admission';
export type { ClaimAnswer, FlashClaimLine, FlashSale, FlashSaleInput, LiveFlashPrice } from './types';
