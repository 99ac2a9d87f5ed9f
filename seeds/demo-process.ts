/** The demo dataset generated in a child process (demo-cache.ts `demoAhead`) into the cache folder given. */
import { generateDemoJson } from './demo-cache.js';

await generateDemoJson(process.argv[2]);
