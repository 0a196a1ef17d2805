import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config';

type TemporalSettings = Pick<Config, 'temporalAddress' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TLS' | 'TEMPORAL_TLS_CERT_PATH' | 'TEMPORAL_TLS_KEY_PATH' | 'TEMPORAL_API_KEY'>;

/** TLS and API key settings shared by the client and the worker connection (Temporal Cloud or a secured cluster). */
function connectionOptions(settings: TemporalSettings) {
  const mtls =
    settings.TEMPORAL_TLS_CERT_PATH && settings.TEMPORAL_TLS_KEY_PATH
      ? { clientCertPair: { crt: fs.readFileSync(settings.TEMPORAL_TLS_CERT_PATH), key: fs.readFileSync(settings.TEMPORAL_TLS_KEY_PATH) } }
      : undefined;
  const tls = mtls ?? (settings.TEMPORAL_TLS || settings.TEMPORAL_API_KEY ? true : undefined);
  return { address: settings.temporalAddress, tls, apiKey: settings.TEMPORAL_API_KEY };
}

export async function connectClient(settings: TemporalSettings): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(settings));
  return new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE });
}

export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(settings));
}
