import { parentPort, workerData } from 'node:worker_threads';
import { parseUpload, type ParseRequest } from './parse';

/** The worker thread's body: reads the file it was given and posts the result (see readFile.ts). */
void parseUpload(workerData as ParseRequest).then((response) => parentPort?.postMessage(response));
