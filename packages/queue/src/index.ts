export { QUEUES, jobIds, NOTIFICATION_AUDIENCES, type CommandRef, type QueueName, type JobName, type JobPayload } from './registry.js';
export { createRedisConnection, redisReady, type ConnectionRole } from './connection.js';
export { QueueClient, parseJob, startWorker, type QueueSettings } from './queues.js';
export { withTimeout } from './timeout.js';
export { CommandPublisher } from './command-publisher.js';
