import type { HttpClient } from './http-client';

/**
 * Password reset, email verification, phone login, the settings page (profile, photo, phone, password,
 * export, closing), notifications and the dev mailbox.
 */
export function createAccountApi(http: HttpClient) {
  return {
    updateProfile: (change: { name?: string; locale?: 'zh' | 'en' }) =>
      http.send('PATCH', '/api/account/profile', { json: change }),
    uploadAvatar(file: File) {
      const body = new FormData();
      body.append('file', file, file.name);
      return http.send('PUT', '/api/account/avatar', { body });
    },
    removeAvatar: () => http.send('DELETE', '/api/account/avatar'),
    changePassword: (currentPassword: string, newPassword: string) =>
      http.send('POST', '/api/auth/password', { json: { currentPassword, newPassword } }),
    sendEmailVerification: () => http.send('POST', '/api/account/email-verification'),
    requestPhoneVerification: (phone: string) =>
      http.send('POST', '/api/account/phone/code', { json: { phone } }),
    confirmPhone: (phone: string, code: string) =>
      http.send('POST', '/api/account/phone', { json: { phone, code } }),
    exportData: () => http.get('/api/account/export'),
    closeAccount: (password: string) => http.send('POST', '/api/account/close', { json: { password } }),
    requestPasswordReset: (email: string, locale: 'zh' | 'en') =>
      http.send('POST', '/api/auth/password-reset', { json: { email, locale } }),
    checkResetLink: (token: string) =>
      http.send('POST', '/api/auth/password-reset/check', { json: { token } }),
    resetPassword: (token: string, password: string) =>
      http.send('POST', '/api/auth/password-reset/confirm', { json: { token, password } }),
    verifyEmail: (token: string) => http.send('POST', '/api/auth/verify-email', { json: { token } }),
    requestPhoneCode: (phone: string) => http.send('POST', '/api/auth/phone-code', { json: { phone } }),
    notifications: (before?: number) =>
      http.get('/api/notifications', { query: { limit: 20, ...(before && { before }) } }),
    unread: () => http.get('/api/notifications/unread'),
    markRead: (id: string) => http.send('POST', `/api/notifications/${encodeURIComponent(id)}/read`),
    markAllRead: () => http.send('POST', '/api/notifications/read-all'),
    preferences: () => http.get('/api/notifications/preferences'),
    setPreference: (type: string, channel: 'email' | 'sms', on: boolean) =>
      http.send('PUT', '/api/notifications/preferences', { json: { [type]: { [channel]: on } } }),
    mailbox: () => http.get('/api/dev/mailbox', { query: { limit: 100 } }),
    sms: () => http.get('/api/dev/sms', { query: { limit: 100 } }),
  };
}

export type AccountApi = ReturnType<typeof createAccountApi>;
