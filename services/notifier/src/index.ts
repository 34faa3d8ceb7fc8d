export { deliverNotification } from './deliver.js';
export { render, TEMPLATES } from './templates.js';
