import type { Connection, Model, Schema } from 'mongoose';

/** The model `name` on this connection, compiled on first use (models belong to a connection, not a global). */
export function modelOn<T>(
  connection: Connection,
  name: string,
  schema: Schema<T>,
  collection: string,
): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema, collection);
}
