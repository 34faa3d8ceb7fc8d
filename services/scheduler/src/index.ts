export { relayOutboxOnce } from './relay.js';
export { fireDueTimers, republishStaleCommands, sweepOnce, type SweepResult } from './sweep.js';
export { fireTimer, fireTimers, startTimerWorker, type FireResult } from './timers.js';
export { RedisEpoch, TimerPump, timerTick, type TimerTick } from './pump.js';
export { startLoop } from './loop.js';
