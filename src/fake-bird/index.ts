// The fake Bird: a real node:http server on loopback that follows Bird's contract and injects faults.
// Shipped for users' own pipeline tests (bin `chirp-fake-bird`); the library core never imports it.
export * from './server.js';
