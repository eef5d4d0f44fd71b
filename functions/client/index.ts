/**
 * The AE client library: register an `<AE>` with an enrollment's master
 * credential, then retrieve, update, rotate and delete it with signed
 * requests. See {@link AeClient}.
 */
export * from './ae-client.ts';
export * from './credential-member.ts';
export * from './errors.ts';
export * from './mask.ts';
export * from './request.ts';
export * from './state-file.ts';
export * from './transport.ts';
