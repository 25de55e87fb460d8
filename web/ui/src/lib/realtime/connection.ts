/** The part of any namespace socket that says whether it is connected and whether it recovered. */
export interface ConnectionSource {
  connected: boolean;
  recovered?: boolean;
  on(event: 'connect' | 'disconnect', handler: () => void): unknown;
  off(event: 'connect' | 'disconnect', handler: () => void): unknown;
}

export interface ConnectionHandlers {
  /**
   * The socket connected afresh (a login, or a drop longer than the server's recovery window): what was
   * sent meanwhile is lost, so whatever is on screen should be read again. A short drop is recovered —
   * the server replays what was missed, in order — and this is not called.
   */
  onResync?(): void;
  /** Called at once with the current state, then on every connect and disconnect (for a "Live" dot). */
  onConnectionChange?(connected: boolean): void;
}

/** Follows a socket's connection for a live view. Returns the unsubscribe function. */
export function followConnection(socket: ConnectionSource, handlers: ConnectionHandlers): () => void {
  const onConnect = () => {
    handlers.onConnectionChange?.(true);
    if (!socket.recovered) handlers.onResync?.();
  };
  const onDisconnect = () => handlers.onConnectionChange?.(false);
  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  handlers.onConnectionChange?.(socket.connected);
  return () => {
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
  };
}
