export { QUEUES, jobIds, NOTIFICATION_AUDIENCES, type QueueName, type JobName, type JobPayload } from './registry.js';
export { createRedisConnection, redisReady, type ConnectionRole } from './connection.js';
export { QueueClient, parseJob, startWorker, withTimeout, type QueueSettings } from './queues.js';
