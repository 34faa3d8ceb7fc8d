export { applyCommands, type CommandOutcome, type AppliedResult, type CommandRef } from './apply-commands.js';
export { startCommandWorker } from './command-worker.js';
