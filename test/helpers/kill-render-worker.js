// Preloaded into a spawned chirp (NODE_OPTIONS=--import=<this file>) to kill its render workers the
// deterministic way: each worker thread is terminated when it is handed its first batch, which it
// therefore never answers. The pool sees the worker stop, as it would see one die of a crash.
import { syncBuiltinESMExports } from 'node:module';
import workerThreads from 'node:worker_threads';

if (workerThreads.isMainThread) {
  const Original = workerThreads.Worker;
  workerThreads.Worker = class KilledOnFirstBatch extends Original {
    postMessage() {
      void this.terminate();
    }
  };
  syncBuiltinESMExports();
}
