import { fileURLToPath } from 'node:url';

/** Absolute path of the static browser UI, for @fastify/static's `root`. */
export const webRoot = fileURLToPath(new URL('./public/', import.meta.url));
