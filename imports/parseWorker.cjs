'use strict';
/* global require */
// Bootstrap of the worker thread that reads uploaded files (imports/readFile.ts starts it).
// The worker starts from plain Node (execArgv: []) whoever starts the app: tsx (`npm start`, the
// Dockerfile's `node --import tsx`) or jest, whose @swc/jest transform covers only the test's own
// module graph and not a worker's. So the bootstrap registers tsx's CommonJS hook itself and loads
// the TypeScript entry: one path in every case, and no build step, as in the rest of the product.
require('tsx/cjs/api').register();
require('./parseWorker.ts');
