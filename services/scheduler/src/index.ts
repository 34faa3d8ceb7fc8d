export { relayOutboxOnce } from './relay.js';
export { sweepOnce, type SweepResult } from './sweep.js';
export { fireTimer, startTimerWorker } from './timers.js';
export { startLoop } from './loop.js';
