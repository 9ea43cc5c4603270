#!/usr/bin/env node
// Starts the KServe v2 peer (a Triton stand-in on the CPU) from TypeScript sources, passing options through; stopping
// this process stops the peer.
require('./run-ts').serveTs('tools/src/triton-peer.ts');
