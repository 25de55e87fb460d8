export { createSecretStore, PAYMENT_WEBHOOK_SECRET_NAME, type SecretStore } from './service';
