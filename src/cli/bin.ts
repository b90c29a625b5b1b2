#!/usr/bin/env node
// The process entry: main.ts stays importable (tests, embedding); this file only runs it.
import module from 'node:module';

// Node ≥ 22.1 keeps the code it compiles on disk (module.enableCompileCache, in the OS temp folder;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off), so a second start skips most of the parsing: asked for
// before anything else loads. Node 20 has no such cache: feature-detected, and never fatal (#22).
try {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} catch {
  // No cache: a slower start, nothing else.
}

const { main } = await import('./main.js');
await main(process.argv);
