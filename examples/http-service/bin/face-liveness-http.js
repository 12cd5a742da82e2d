#!/usr/bin/env node
// The service command (`npm run build` or `npx tsc -b examples/http-service` first).
import '../dist/main.js';
