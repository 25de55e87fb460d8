import type { SandboxMethod, SandboxSession } from './wire';
import type { HttpClient } from './http-client';

/** The sandbox payment provider's hosted-page API: what a real PSP's own page would call. */
export interface SandboxPayApi {
  session(sessionId: string): Promise<SandboxSession>;
  complete(
    sessionId: string,
    input: { method: SandboxMethod; outcome: 'succeed' | 'fail'; cardNumber?: string },
  ): Promise<SandboxSession>;
  abandon(sessionId: string): Promise<SandboxSession>;
}

export function createSandboxPayApi(http: HttpClient): SandboxPayApi {
  const session = (id: string) => `/api/sandbox-psp/sessions/${encodeURIComponent(id)}` as const;
  return {
    session: (sessionId) => http.get(session(sessionId)),
    complete: (sessionId, input) => http.send('POST', `${session(sessionId)}/complete`, { json: input }),
    abandon: (sessionId) => http.send('POST', `${session(sessionId)}/abandon`),
  };
}
