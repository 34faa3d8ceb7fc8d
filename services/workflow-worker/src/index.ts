export { applyCommands, type CommandOutcome, type AppliedResult } from './apply-commands.js';
export { startCommandWorker } from './command-worker.js';
