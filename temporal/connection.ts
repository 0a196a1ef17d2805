import fs from 'node:fs';
import { Client, Connection, defaultGrpcRetryOptions, type GrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
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

const GRPC_UNAVAILABLE = 14;
/** Attempts of a call that finds Temporal unreachable: about 1 s in all, instead of the SDK's ~20 s. */
const UNAVAILABLE_ATTEMPTS = 4;

/**
 * The SDK's retries, except that a server that can't be reached is given up on after about a second:
 * a person waiting on a page gets a clear 503 (services/errors.ts) rather than a 20 s hang.
 */
export function failFastRetryOptions(): GrpcRetryOptions {
  const defaults = defaultGrpcRetryOptions();
  return {
    delayFunction: defaults.delayFunction,
    retryableDecider: (attempt, status) => defaults.retryableDecider(attempt, status) && (status.code !== GRPC_UNAVAILABLE || attempt < UNAVAILABLE_ATTEMPTS),
  };
}

/**
 * `lazy`: don't dial until the first call, so the app starts (and /health can say what is down)
 * while the Temporal cluster is unreachable. The channel redials at most every 2 s, so a server
 * that comes back is found quickly.
 */
export async function connectClient(settings: TemporalSettings, { lazy = false }: { lazy?: boolean } = {}): Promise<Client> {
  const options = {
    ...connectionOptions(settings),
    interceptors: [makeGrpcRetryInterceptor(failFastRetryOptions())],
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2_000 },
  };
  const connection = lazy ? Connection.lazy(options) : await Connection.connect(options);
  return new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE });
}

export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(settings));
}
