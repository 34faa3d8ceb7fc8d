/** Absolute path of the static browser UI, for @fastify/static's `root`. */
export declare const webRoot: string;
