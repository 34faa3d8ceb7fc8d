export { deliverNotification, isUnrecoverable, type DeliverOptions, type DeliveryResult } from './deliver.js';
export { render, TEMPLATES } from './templates.js';
export { notifierBackoff, startNotifierWorker, type NotifierWorkerOptions } from './worker.js';
export * from './channels/index.js';
