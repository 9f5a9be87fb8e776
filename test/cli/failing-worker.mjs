// A scan worker that takes two files from the shared counter and dies without answering for them
// (test/cli/workers.test.ts checks that the scan still has every result).
import { workerData } from 'node:worker_threads';

const counters = new Int32Array(workerData.counters);
Atomics.add(counters, 0, 2);
throw new Error('worker failure for the test');
