import { hashOf } from '../../core/canonical.js';

/**
 * Handlers get credentials per call from the gate's broker; building a client per call would be wasteful,
 * so clients are kept per distinct credentials (keyed by a hash, never by the secret itself). Small and
 * bounded: a deployment has a handful of credentials per tool.
 */
const MAX_CLIENTS = 16;

export function clientCache<C, T>(make: (credentials: C) => T): (credentials: C) => T {
  const clients = new Map<string, T>();
  return (credentials) => {
    const key = hashOf(credentials);
    let client = clients.get(key);
    if (client === undefined) {
      client = make(credentials);
      if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
      clients.set(key, client);
    }
    return client;
  };
}
