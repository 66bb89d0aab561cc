/**
 * The walkthrough cannot rot: docs/walkthrough.md runs block by block against a fresh engine,
 * and its Chinese translation must carry the same commands (test/docs/walkthrough-suite.ts).
 */
import { join } from 'node:path';
import { ROOT, walkthroughSuite } from './walkthrough-suite.ts';

// The YAML part of the walkthrough serves on the fixed NodePort 32600.
walkthroughSuite({ doc: join(ROOT, 'docs', 'walkthrough.md'), minBlocks: 21, hostLocks: ['nodeport-32600'] });
