export { createAuditLog, type AuditLog } from './service';
export {
  AUDIT_TARGET_TYPES,
  type AuditEntry,
  type AuditFilter,
  type AuditInput,
  type AuditTargetType,
} from './types';
