export { relayOutboxOnce } from './relay.js';
export { foldReportsOnce } from './report-fold.js';
export { republishStaleCommands, sweepOnce, type SweepResult } from './sweep.js';
export { fireDueTimers, fireTimer, fireTimers, startTimerWorker, type FireResult } from './timers.js';
export { RedisEpoch, TimerPump, timerTick, type TimerTick } from './pump.js';
export { startLoop } from './loop.js';
