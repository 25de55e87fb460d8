export { createOpsAlerts, type OpsAlerts } from './service';
export {
  OPS_ALERT_KINDS,
  type DeliveryAlertKind,
  type OpsAlert,
  type OpsAlertInput,
  type OpsAlertKind,
} from './types';
