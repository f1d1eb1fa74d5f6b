// The local S3-compatible endpoint (bench/support/s3-endpoint, shared with `npm run bench:s3`).
export * from '../../../bench/support/s3-endpoint/server.ts';
