#!/usr/bin/env node
// The process entry: main.ts stays importable (tests, embedding); this file only runs it.
import { main } from './main.js';

await main(process.argv);
