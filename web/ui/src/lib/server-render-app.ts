import type { HttpClient } from './api/http-client';
import type { AppContext } from './app-context';
import { assembleApp, type InitialAppState } from './assemble-app';
import { Realtime } from './realtime/socket';

/**
 * On the server a page renders from what its `load` functions read in-process (the Koa app's bridge):
 * components only call the API from effects, which do not run there, so a call that still comes is a
 * bug, and says so rather than making an HTTP request to ourselves.
 */
const noHttpOnTheServer: HttpClient = {
  get: (path: string) =>
    Promise.reject(new Error(`GET ${path} while rendering on the server: read it in a load function`)),
  send: (method: string, path: string) =>
    Promise.reject(new Error(`${method} ${path} while rendering on the server`)),
} as unknown as HttpClient;

/** The app a page renders with on the server: the shared assembly, no HTTP, sockets that never open. */
export function createServerRenderApp(initial: InitialAppState): AppContext {
  return assembleApp(() => noHttpOnTheServer, new Realtime({ connect: false }), initial);
}
