/**
 * The kommune reference app: `node dist/main.cjs --config FILE` (or SAMHANDLING_CONFIG).
 * Configuration, API, UI and wiring live in @samhandling/node-app; the engine in @samhandling/messaging.
 */
import { main } from '@samhandling/node-app';

main('kommune');
