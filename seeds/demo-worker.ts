/** The demo dataset generated on a worker thread (demo-cache.ts `demoAhead`): sends back its JSON, cached. */
import { parentPort, workerData } from 'node:worker_threads';
import { generateDemoJson } from './demo-cache.js';

parentPort!.postMessage(await generateDemoJson((workerData as { cacheDir: string }).cacheDir));
