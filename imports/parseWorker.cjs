'use strict';
/* global require */
// The worker thread that reads uploaded files (imports/readFile.ts starts it): reads the file it
// was given and posts the result.
// The worker starts from plain Node (execArgv: []) whoever starts the app: tsx (`npm start`, the
// Dockerfile's `node --import tsx`) or jest, whose @swc/jest transform covers only the test's own
// module graph and not a worker's. So the bootstrap registers tsx's CommonJS hook itself and loads
// the TypeScript: one path in every case, and no build step, as in the rest of the product.
// parse.ts and the project modules it imports are all loaded by the require below; the hook is
// then removed, so the libraries parse.ts loads when it needs them (jszip, exceljs: hundreds of
// files) load at plain Node's speed, about half the time they take through tsx's hooks.
const { parentPort, workerData } = require('node:worker_threads');
const unregister = require('tsx/cjs/api').register();
const { parseUpload } = require('./parse.ts');
unregister();
void parseUpload(workerData).then((response) => parentPort.postMessage(response));
