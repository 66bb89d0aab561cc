#!/usr/bin/env node
// Launcher: runs the TypeScript entry point through tsx so `npx skiff` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('../cli.tsx');
